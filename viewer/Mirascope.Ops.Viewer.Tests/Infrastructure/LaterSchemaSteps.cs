namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// What the schema steps after the rollups added, as SQL that takes it away again, so a test can make a store of the
    /// current schema look like one an older viewer left (then set the older schema number itself). A frozen description
    /// of the steps on purpose, like the schema copies in <c>SchemaMigrationTests</c>: it says what each step created, not
    /// what today's schema code happens to say. SQLite: 8 retention, 9 the text index and keyset indexes, 10 the counts per
    /// environment, 11 the failed sign-ins, 13 <c>store_counts</c> dropped. PostgreSQL: 5 retention (6, the text indexes, and 9,
    /// the covering duration index, are idempotent and need no undoing), 7 the counts per environment, 8 the failed sign-ins,
    /// 11 <c>store_counts</c> dropped.
    /// </summary>
    internal static class LaterSchemaSteps
    {
        /// <summary>Takes away the rollups (SQLite 7, PostgreSQL 4) and every step after them.</summary>
        public static string UndoFromRollups(bool onPostgres) => UndoAfterRollups(onPostgres) + Rollups;

        /// <summary>Takes away every step after the rollups (SQLite 8 to 13, PostgreSQL 5 to 11).</summary>
        public static string UndoAfterRollups(bool onPostgres) => UndoStoreCountsDrop + SignInFailures + UndoEnvironmentCounts + (onPostgres ? Retention : Search + Retention);

        /// <summary>Gives back the empty <c>store_counts</c> (the rollups' step created it; SQLite 13, PostgreSQL 11 dropped it), the same text on both engines.</summary>
        public const string UndoStoreCountsDrop = @"
            CREATE TABLE store_counts (shard INTEGER PRIMARY KEY, traces BIGINT NOT NULL, spans BIGINT NOT NULL);";

        /// <summary>Takes away the counts per environment (SQLite 10, PostgreSQL 7), the same text on both engines.</summary>
        public const string UndoEnvironmentCounts = @"
            DROP TABLE environment_counts;";

        private const string SignInFailures = @"
            DROP TABLE IF EXISTS sign_in_failures;";

        private const string Rollups = @"
            DROP TABLE store_counts; DROP TABLE function_calls; DROP TABLE function_durations; DROP TABLE function_usage;
            DROP TABLE span_buckets; DROP TABLE span_bucket_durations; DROP TABLE span_bucket_usage; DROP TABLE span_bucket_functions; DROP TABLE trace_lengths;
            DROP INDEX spans_by_duration; DROP INDEX spans_by_version_start; DROP INDEX spans_by_version_duration;
            CREATE INDEX spans_by_version ON spans (version_hash) WHERE version_hash IS NOT NULL;";

        private const string Retention = @"
            DROP INDEX IF EXISTS traces_by_environment_received;
            DROP TABLE IF EXISTS retention_policies;
            ALTER TABLE traces DROP COLUMN size_bytes;";

        private const string Search = @"
            DROP TRIGGER IF EXISTS span_text_before_insert; DROP TRIGGER IF EXISTS span_text_after_insert;
            DROP TRIGGER IF EXISTS span_text_after_update; DROP TRIGGER IF EXISTS span_text_after_delete;
            DROP TABLE IF EXISTS span_text;
            DROP INDEX IF EXISTS traces_by_start_and_id; DROP INDEX IF EXISTS traces_by_environment_start_and_id;
            CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_ns DESC);
            CREATE INDEX IF NOT EXISTS traces_by_environment ON traces (environment_id, start_ns DESC);";
    }
}
