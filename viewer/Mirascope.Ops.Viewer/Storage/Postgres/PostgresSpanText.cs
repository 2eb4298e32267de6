using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using Npgsql;

namespace Mirascope.Ops.Viewer.Storage.Postgres
{
    /// <summary>
    /// PostgreSQL's text indexes of spans (schema 3). Name tokens: a GIN index of each name's tokens
    /// (<c>span_name_tokens(name)</c>, the array <c>has_token</c> split the name into), which answers the Cloud's token
    /// query exactly. Substrings: a <c>pg_trgm</c> GIN index of one text per span (<see cref="Text"/>: the name and every
    /// attribute a search reads), which <c>ILIKE '%text%'</c> uses; the query keeps its exact test after it.
    /// <para>
    /// <c>pg_trgm</c> ships with PostgreSQL (contrib) and is a trusted extension: a database owner without superuser may
    /// create it. Where it cannot be created, the viewer says so once at start and searches without that index (the same
    /// results, read from the table); it tries again at every start.
    /// </para>
    /// </summary>
    internal static class PostgresSpanText
    {
        /// <summary>
        /// The name-token function and index (needs no extension). Each token is kept to its first
        /// <see cref="IndexedTokenLength"/> characters: a GIN entry must fit a third of a page, and names of a megabyte are
        /// stored; a longer query token is then also tested whole with <c>has_token</c>.
        /// </summary>
        public static readonly SqlText CreateNameTokens = SqlText.Of($@"
            CREATE OR REPLACE FUNCTION span_name_tokens(whole TEXT) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
                'SELECT ARRAY(SELECT left(u.t, 200) FROM unnest(regexp_split_to_array(lower(whole), ''[^[:alnum:]]+'')) AS u(t))';
            CREATE INDEX IF NOT EXISTS spans_by_name_token ON spans USING gin (span_name_tokens(name));");

        /// <summary>
        /// The text of a span the trigram index holds: its name and the attribute values a search reads (the keys of
        /// <see cref="SpanTextColumns"/>), each as <see cref="PostgresDialect.AttributeText"/> reads it, one per line. A query
        /// must use this very expression (with its spans alias) for PostgreSQL to use the index.
        /// </summary>
        public static SqlText Text(SqlText spans) => SqlText.Of($@"({spans}.name || chr(10) || COALESCE(CAST({spans}.attributes AS json) ->> 'gen_ai.input_messages', '')
            || chr(10) || COALESCE(CAST({spans}.attributes AS json) ->> 'gen_ai.input.messages', '') || chr(10) || COALESCE(CAST({spans}.attributes AS json) ->> 'mirascope.trace.arg_values', '')
            || chr(10) || COALESCE(CAST({spans}.attributes AS json) ->> 'gen_ai.output_messages', '') || chr(10) || COALESCE(CAST({spans}.attributes AS json) ->> 'gen_ai.output.messages', '')
            || chr(10) || COALESCE(CAST({spans}.attributes AS json) ->> 'mirascope.trace.output', '') || chr(10) || COALESCE(CAST({spans}.attributes AS json) ->> 'gen_ai.system_instructions', ''))");

        private static readonly SqlText Spans = SqlText.Of($"spans");

        /// <summary>
        /// Creates <c>pg_trgm</c> and the trigram index when they are missing, each in a savepoint: where the extension cannot
        /// be created (no privilege, contrib not installed), a message says so and search works without the index.
        /// </summary>
        public static void EnsureTrigramIndex(DbConnection connection, DbTransaction transaction, string description)
        {
            using (var exists = SqlCommands.Create(connection, SqlText.Of($"SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'spans' AND indexname = 'spans_by_text'"), transaction))
            {
                if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                {
                    return;
                }
            }

            var npgsql = (NpgsqlTransaction)transaction;
            npgsql.Save("mirascope_trigram");
            try
            {
                Execute(connection, transaction, SqlText.Of($"CREATE EXTENSION IF NOT EXISTS pg_trgm"));
                Execute(connection, transaction, SqlText.Of($"CREATE INDEX spans_by_text ON spans USING gin ({Text(Spans)} gin_trgm_ops)"));
                npgsql.Release("mirascope_trigram");
            }
            catch (PostgresException exception)
            {
                npgsql.Rollback("mirascope_trigram");
                Console.Error.WriteLine(
                    $"mirascope-viewer: text search in {description} runs without its index (slow at millions of spans): the extension pg_trgm could not be created "
                    + $"({exception.SqlState}: {exception.MessageText}). A database owner or superuser can run CREATE EXTENSION pg_trgm; in this database; "
                    + "the viewer creates the index at its next start.");
            }
        }

        /// <summary>The characters of a token the name-token index keeps (the <c>left(u.t, 200)</c> of <see cref="CreateNameTokens"/>).</summary>
        public const int IndexedTokenLength = 200;

        /// <summary>The value for <see cref="PostgresDialect.NameTokenCandidates"/>: the tokens, none empty (an empty token is in every name).</summary>
        public static string[]? TokenArray(IReadOnlyList<string> tokens)
        {
            var nonEmpty = tokens.Where(t => t.Length > 0).ToArray();
            return nonEmpty.Length == 0 ? null : nonEmpty;
        }

        /// <summary>Three Unicode characters or more: what a trigram index can narrow.</summary>
        public static bool HasTrigram(string text)
        {
            var count = 0;
            foreach (var _ in text.EnumerateRunes())
            {
                if (++count == 3)
                {
                    return true;
                }
            }

            return false;
        }

        private static void Execute(DbConnection connection, DbTransaction transaction, SqlText sql)
        {
            using var command = SqlCommands.Create(connection, sql, transaction);
            command.ExecuteNonQuery();
        }
    }
}
