using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;

namespace Mirascope.Ops.Viewer.Storage.Retention
{
    /// <summary>
    /// Each project's retention limits, set by its ADMIN (<see cref="Api.RetentionEndpoints"/>); a project that never set
    /// its own keeps the viewer's defaults (<c>--retention-days</c>, <c>--retention-size</c>). The single-developer mode's
    /// one implicit project is <see cref="TraceEnvironments.Implicit"/>.
    /// </summary>
    internal sealed class RetentionPolicies
    {
        private readonly TraceStore _store;

        public RetentionPolicies(TraceStore store, RetentionPolicy defaults)
        {
            _store = store;
            Defaults = defaults;
        }

        /// <summary>The limits of a project that has not set its own (from the command line).</summary>
        public RetentionPolicy Defaults { get; }

        /// <summary>The project's limits, and whether they are its own (false: <see cref="Defaults"/>).</summary>
        public (RetentionPolicy Policy, bool Own) Of(string projectId)
        {
            using var connection = _store.Open();
            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT max_age_ms, max_bytes FROM retention_policies WHERE project_id = @project"));
            command.Bind("@project", projectId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? (Read(reader), true) : (Defaults, false);
        }

        /// <summary>Sets the project's own limits (null: no limit of that kind).</summary>
        public void Set(string projectId, RetentionPolicy policy, DateTimeOffset now)
        {
            using var connection = _store.Open();
            using var transaction = _store.Engine.BeginWrite(connection, new[] { "retention-policy:" + projectId });
            using (var delete = SqlCommands.Create(connection, SqlText.Of($"DELETE FROM retention_policies WHERE project_id = @project"), transaction))
            {
                delete.Bind("@project", projectId).ExecuteNonQuery();
            }

            using (var insert = SqlCommands.Create(connection, SqlText.Of($@"INSERT INTO retention_policies (project_id, max_age_ms, max_bytes, updated_ms)
                VALUES (@project, @age, @bytes, @now)"), transaction))
            {
                insert.Bind("@project", projectId)
                    .Bind("@age", policy.MaxAge is { } age ? (long)age.TotalMilliseconds : null)
                    .Bind("@bytes", policy.MaxBytes)
                    .Bind("@now", now.ToUnixTimeMilliseconds())
                    .ExecuteNonQuery();
            }

            transaction.Commit();
        }

        /// <summary>Forgets the project's own limits: it keeps the defaults again.</summary>
        public void Reset(string projectId)
        {
            using var connection = _store.Open();
            using var command = SqlCommands.Create(connection, SqlText.Of($"DELETE FROM retention_policies WHERE project_id = @project"));
            command.Bind("@project", projectId).ExecuteNonQuery();
        }

        /// <summary>
        /// Every project with stored traces or an account, with its limits: the implicit project (single-developer mode, and
        /// traces stored before accounts) and each project of the accounts tables.
        /// </summary>
        public IReadOnlyList<(string ProjectId, RetentionPolicy Policy)> All()
        {
            var own = new Dictionary<string, RetentionPolicy>(StringComparer.Ordinal);
            var projects = new List<string> { TraceEnvironments.Implicit };
            using var connection = _store.Open();
            using (var command = SqlCommands.Create(connection, SqlText.Of($"SELECT project_id, max_age_ms, max_bytes FROM retention_policies")))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    own[reader.GetString(0)] = new RetentionPolicy(
                        reader.IsDBNull(1) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(1)),
                        reader.IsDBNull(2) ? null : reader.GetInt64(2));
                }
            }

            using (var command = SqlCommands.Create(connection, SqlText.Of($"SELECT id FROM projects ORDER BY id")))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    projects.Add(reader.GetString(0));
                }
            }

            return projects.ConvertAll(p => (p, own.TryGetValue(p, out var policy) ? policy : Defaults));
        }

        private static RetentionPolicy Read(DbDataReader reader) => new RetentionPolicy(
            reader.IsDBNull(0) ? null : TimeSpan.FromMilliseconds(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture)),
            reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }
}
