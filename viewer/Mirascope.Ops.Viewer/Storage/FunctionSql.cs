namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// How a span is tied to a function, in SQL. A span with <c>mirascope.version.hash</c> belongs to the function registered
    /// with that hash; while no function has that hash (the app has not registered it), to the name the span gives:
    /// <c>mirascope.version.name</c>, else the span's name. So the page shows versioned functions before anything registers them.
    /// Functions are registered per environment: a span belongs to the function of its own environment.
    /// </summary>
    internal static class FunctionSql
    {
        /// <summary>The function name of span <paramref name="alias"/> (which must have a version hash).</summary>
        public static SqlText NameOf(SqlText alias) =>
            SqlText.Of($"COALESCE((SELECT f.name FROM functions f WHERE f.hash = {alias}.version_hash AND f.environment_id = {alias}.environment_id), {alias}.version_name, {alias}.name)");

        /// <summary>True when span <paramref name="alias"/> is a call of a version of the function named by <paramref name="parameter"/>.</summary>
        public static SqlText SpanBelongsTo(SqlText alias, SqlText parameter) =>
            SqlText.Of($"({alias}.version_hash IN (SELECT hash FROM functions WHERE name = {parameter} AND environment_id = {alias}.environment_id) OR ({alias}.version_hash NOT IN (SELECT hash FROM functions WHERE environment_id = {alias}.environment_id) AND COALESCE({alias}.version_name, {alias}.name) = {parameter}))");
    }
}
