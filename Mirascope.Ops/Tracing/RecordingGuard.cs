using System;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Marks the threads that are running code the user opted in to recording (a <c>ToString()</c> under
    /// <see cref="RecordToStringAttribute"/>, a registered formatter): a traced method called from there starts no span,
    /// so recording can never re-enter itself.
    /// </summary>
    internal static class RecordingGuard
    {
        [ThreadStatic]
        private static int _depth;

        /// <summary>True while this thread runs opted-in code for a recording.</summary>
        public static bool IsActive => _depth > 0;

        /// <summary>Runs <paramref name="format"/> on <paramref name="value"/> with tracing suspended on this thread.</summary>
        public static string? Run<T>(Func<T, string?> format, T value)
        {
            _depth++;
            try
            {
                return format(value);
            }
            finally
            {
                _depth--;
            }
        }
    }
}
