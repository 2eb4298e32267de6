using System;
using System.Collections.Generic;
using System.Globalization;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The failed sign-ins <see cref="Access.SignInThrottle"/> counts, in the store rather than in the process: viewers
    /// sharing one PostgreSQL database (or one SQLite file) count one attacker's guesses together, however the guesses are
    /// spread over them. One row per subject (an account or a client address, as the throttle names them): how many
    /// failures in a row and when the latest was. Rows whose latest failure is older than the throttle's window are
    /// deleted whenever a failure is counted, so the table holds at most the last window's failures.
    /// </summary>
    internal sealed class SignInFailures
    {
        /// <summary>The table, created by the schema step of the same name (SQLite 11, PostgreSQL 8); the same text on both engines.</summary>
        public static readonly SqlText Create = SqlText.Of($@"
            CREATE TABLE IF NOT EXISTS sign_in_failures (
                subject TEXT PRIMARY KEY, failures BIGINT NOT NULL, latest_ms BIGINT NOT NULL);
            CREATE INDEX IF NOT EXISTS sign_in_failures_by_latest ON sign_in_failures (latest_ms);");

        /// <summary>The write lock of a count (<see cref="IStoreEngine.BeginWrite"/>), so the expiry and the counts are one step.</summary>
        private const string LockName = "sign-in-failures";

        // Counting starts again at 1 when the subject's latest failure is older than the window (@since).
        private static readonly SqlText CountText = SqlText.Of($@"INSERT INTO sign_in_failures (subject, failures, latest_ms) VALUES (@subject, 1, @now)
            ON CONFLICT (subject) DO UPDATE SET
                failures = CASE WHEN sign_in_failures.latest_ms < @since THEN 1 ELSE sign_in_failures.failures + 1 END,
                latest_ms = @now");

        private readonly IStoreEngine _engine;

        public SignInFailures(IStoreEngine engine) => _engine = engine;

        /// <summary>The failures of each of <paramref name="subjects"/> that has any (expired ones included; the caller judges them).</summary>
        public Dictionary<string, (long Failures, DateTimeOffset Latest)> Read(IReadOnlyList<string> subjects)
        {
            var found = new Dictionary<string, (long, DateTimeOffset)>(StringComparer.Ordinal);
            using var connection = _engine.Open();
            foreach (var subject in subjects)
            {
                using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT failures, latest_ms FROM sign_in_failures WHERE subject = @subject"));
                command.Bind("@subject", subject);
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    found[subject] = (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
                }
            }

            return found;
        }

        /// <summary>Counts one failure of each subject at <paramref name="now"/>, and forgets every subject's failures older than <paramref name="window"/>.</summary>
        public void Count(IReadOnlyList<string> subjects, DateTimeOffset now, TimeSpan window)
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            var sinceMs = (now - window).ToUnixTimeMilliseconds();
            using var connection = _engine.Open();
            using var transaction = _engine.BeginWrite(connection, new[] { LockName });
            using (var expired = SqlCommands.Create(connection, SqlText.Of($"DELETE FROM sign_in_failures WHERE latest_ms < @since"), transaction))
            {
                expired.Bind("@since", sinceMs).ExecuteNonQuery();
            }

            foreach (var subject in subjects)
            {
                using var count = SqlCommands.Create(connection, CountText, transaction);
                count.Bind("@subject", subject).Bind("@now", nowMs).Bind("@since", sinceMs).ExecuteNonQuery();
            }

            transaction.Commit();
        }

        /// <summary>Forgets the subject's failures (a successful sign-in).</summary>
        public void Forget(string subject)
        {
            using var connection = _engine.Open();
            using var transaction = _engine.BeginWrite(connection, new[] { LockName });
            using (var delete = SqlCommands.Create(connection, SqlText.Of($"DELETE FROM sign_in_failures WHERE subject = @subject"), transaction))
            {
                delete.Bind("@subject", subject).ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }
}
