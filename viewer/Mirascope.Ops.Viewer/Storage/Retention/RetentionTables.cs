namespace Mirascope.Ops.Viewer.Storage.Retention
{
    /// <summary>
    /// The schema step of retention by project (SQLite 8, PostgreSQL 5): each project's own limits
    /// (<see cref="RetentionPolicies"/>), each trace's size (<see cref="TraceSizes"/>, filled for stored traces here), and
    /// an index that finds a project's oldest traces without reading the others'.
    /// </summary>
    internal static class RetentionTables
    {
        public static readonly SqlText Create = SqlText.Of($@"
            CREATE TABLE IF NOT EXISTS retention_policies (
                project_id TEXT PRIMARY KEY, max_age_ms BIGINT, max_bytes BIGINT, updated_ms BIGINT NOT NULL);
            ALTER TABLE traces ADD COLUMN size_bytes BIGINT NOT NULL DEFAULT 0;
            UPDATE traces SET size_bytes = COALESCE((SELECT SUM({TraceSizes.SpanSize}) FROM spans s WHERE s.trace_id = traces.trace_id), 0);
            CREATE INDEX IF NOT EXISTS traces_by_environment_received ON traces (environment_id, received_ms);");
    }
}
