using System;
using System.Globalization;

namespace Mirascope.Ops.Viewer.Storage.Retention
{
    /// <summary>How many traces a project stores and their size (<see cref="TraceSizes"/>), as its retention limits count them.</summary>
    internal static class RetentionUsage
    {
        public static (long Traces, long Bytes) Of(TraceStore store, string projectId)
        {
            using var connection = store.Open();
            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT COUNT(*), COALESCE(SUM(t.size_bytes), 0) FROM traces t WHERE {RetentionRun.InProject(projectId)}"));
            command.Bind("@project", projectId);
            using var reader = command.ExecuteReader();
            reader.Read();
            return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
        }
    }
}
