using System;
using System.Collections.Generic;
using System.Data.Common;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>Annotations in the span database: one per span, kept while the span's trace is (retention deletes them with it).</summary>
    internal sealed class AnnotationStore
    {
        public const int DefaultLimit = 100;
        public const int MaxLimit = 1000;

        private static readonly SqlText Columns = SqlText.Of($"id, otel_span_id, otel_trace_id, label, reasoning, metadata, tags, created_ms, updated_ms");

        /// <summary>Annotation writers follow one another (one annotation per span is checked before it is inserted).</summary>
        private static readonly string[] WriteLock = { "annotations" };

        private readonly TraceStore _database;

        public AnnotationStore(TraceStore database)
        {
            _database = database;
        }

        /// <summary>What happened to a create request.</summary>
        public enum Outcome
        {
            Created,
            SpanNotFound,
            AlreadyAnnotated,
        }

        /// <summary>
        /// Annotates the span when it is stored in <paramref name="environmentId"/> (null: single-developer mode, the span of the
        /// trace the page shows for the id, <see cref="TraceEnvironments.Resolve"/>); a span of another environment is
        /// <see cref="Outcome.SpanNotFound"/>, whether it is annotated there or not. The annotation belongs to the span's
        /// environment: another environment's span of the same ids is another span, annotated on its own.
        /// </summary>
        public Outcome Create(string traceId, string spanId, AnnotationChange fields, DateTimeOffset now, string? environmentId, out AnnotationRecord? record)
        {
            using var connection = _database.Open();
            using var transaction = _database.Engine.BeginWrite(connection, WriteLock);
            record = null;
            // Visibility first: whether another environment's span is annotated must not show through the answer.
            if (TraceEnvironments.Resolve(connection, traceId, environmentId, transaction) is not { } environment)
            {
                return Outcome.SpanNotFound;
            }

            using (var exists = connection.CreateCommand())
            {
                exists.Transaction = transaction;
                exists.SetText(SqlText.Of($"SELECT 1 FROM spans s WHERE s.environment_id = @environment AND s.trace_id = @trace AND s.span_id = @span"));
                exists.Bind("@environment", environment).Bind("@trace", traceId).Bind("@span", spanId);
                if (exists.ExecuteScalar() is null)
                {
                    return Outcome.SpanNotFound;
                }
            }

            record = Single(connection, transaction, SqlText.Of($"otel_trace_id = @trace AND otel_span_id = @span"), environment, ("@trace", traceId), ("@span", spanId));
            if (record is not null)
            {
                return Outcome.AlreadyAnnotated;
            }

            record = new AnnotationRecord
            {
                Id = Guid.NewGuid().ToString("D"),
                SpanId = spanId,
                TraceId = traceId,
                Label = fields.Label,
                Reasoning = fields.Reasoning,
                MetadataJson = fields.MetadataJson,
                TagsJson = fields.TagsJson ?? "[]",
                CreatedMs = now.ToUnixTimeMilliseconds(),
                UpdatedMs = now.ToUnixTimeMilliseconds(),
            };
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.SetText(SqlText.Of($"INSERT INTO annotations ({Columns}, environment_id) VALUES (@id, @span, @trace, @label, @reasoning, @metadata, @tags, @created, @updated, @environment)"));
                Bind(insert, record);
                insert.Bind("@environment", environment);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return Outcome.Created;
        }

        /// <summary>Changes the sent fields; null when there is no such annotation (in <paramref name="environmentId"/>, when one is given).</summary>
        public AnnotationRecord? Update(string id, AnnotationChange change, DateTimeOffset now, string? environmentId)
        {
            using var connection = _database.Open();
            using var transaction = _database.Engine.BeginWrite(connection, WriteLock);
            var old = Single(connection, transaction, SqlText.Of($"id = @id"), environmentId, ("@id", id));
            if (old is null)
            {
                return null;
            }

            var updated = new AnnotationRecord
            {
                Id = old.Id,
                SpanId = old.SpanId,
                TraceId = old.TraceId,
                Label = change.HasLabel ? change.Label : old.Label,
                Reasoning = change.HasReasoning ? change.Reasoning : old.Reasoning,
                MetadataJson = change.HasMetadata ? change.MetadataJson : old.MetadataJson,
                TagsJson = change.HasTags ? change.TagsJson ?? "[]" : old.TagsJson,
                CreatedMs = old.CreatedMs,
                UpdatedMs = now.ToUnixTimeMilliseconds(),
            };
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.SetText(SqlText.Of($"UPDATE annotations SET label = @label, reasoning = @reasoning, metadata = @metadata, tags = @tags, updated_ms = @updated WHERE id = @id"));
                Bind(command, updated);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return updated;
        }

        /// <summary>The annotation; null when there is none (in <paramref name="environmentId"/>, when one is given).</summary>
        public AnnotationRecord? Get(string id, string? environmentId)
        {
            using var connection = _database.Open();
            using var transaction = _database.Engine.BeginRead(connection);
            return Single(connection, transaction, SqlText.Of($"id = @id"), environmentId, ("@id", id));
        }

        /// <summary>Deletes the annotation; false when there is none (in <paramref name="environmentId"/>, when one is given).</summary>
        public bool Delete(string id, string? environmentId)
        {
            using var connection = _database.Open();
            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($"DELETE FROM annotations WHERE id = @id{TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"annotations"))}"));
            command.Bind("@id", id);
            TraceEnvironments.Bind(command, environmentId);
            return command.ExecuteNonQuery() > 0;
        }

        /// <summary>Newest first, filtered by the ids and label that are given, of the spans of <paramref name="environmentId"/> (null: all).</summary>
        public List<AnnotationRecord> List(string? traceId, string? spanId, string? label, int limit, int offset, string? environmentId)
        {
            using var connection = _database.Open();
            var where = new List<SqlText> { SqlText.Of($"1 = 1{TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"annotations"))}") };
            using var command = connection.CreateCommand();
            TraceEnvironments.Bind(command, environmentId);
            if (traceId is not null)
            {
                where.Add(SqlText.Of($"otel_trace_id = @trace"));
                command.Bind("@trace", traceId);
            }

            if (spanId is not null)
            {
                where.Add(SqlText.Of($"otel_span_id = @span"));
                command.Bind("@span", spanId);
            }

            if (label is not null)
            {
                where.Add(SqlText.Of($"label = @label"));
                command.Bind("@label", label);
            }

            command.SetText(SqlText.Of($@"SELECT {Columns} FROM annotations WHERE {SqlText.Join(SqlText.Of($" AND "), where)}
                ORDER BY created_ms DESC, seq DESC LIMIT @limit OFFSET @offset"));
            command.Bind("@limit", limit);
            command.Bind("@offset", offset);
            var records = new List<AnnotationRecord>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                records.Add(Read(reader));
            }

            return records;
        }

        private static void Bind(DbCommand command, AnnotationRecord record)
        {
            command.Bind("@id", record.Id);
            command.Bind("@span", record.SpanId);
            command.Bind("@trace", record.TraceId);
            command.Bind("@label", (object?)record.Label ?? DBNull.Value);
            command.Bind("@reasoning", (object?)record.Reasoning ?? DBNull.Value);
            command.Bind("@metadata", (object?)record.MetadataJson ?? DBNull.Value);
            command.Bind("@tags", record.TagsJson);
            command.Bind("@created", record.CreatedMs);
            command.Bind("@updated", record.UpdatedMs);
        }

        private static AnnotationRecord? Single(DbConnection connection, DbTransaction transaction, SqlText where, string? environmentId, params (string Name, string Value)[] parameters)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.SetText(SqlText.Of($"SELECT {Columns} FROM annotations WHERE {where}{TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"annotations"))} LIMIT 1"));
            TraceEnvironments.Bind(command, environmentId);
            foreach (var (name, value) in parameters)
            {
                command.Bind(name, value);
            }

            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }

        private static AnnotationRecord Read(DbDataReader reader) => new AnnotationRecord
        {
            Id = reader.GetString(0),
            SpanId = reader.GetString(1),
            TraceId = reader.GetString(2),
            Label = reader.IsDBNull(3) ? null : reader.GetString(3),
            Reasoning = reader.IsDBNull(4) ? null : reader.GetString(4),
            MetadataJson = reader.IsDBNull(5) ? null : reader.GetString(5),
            TagsJson = reader.GetString(6),
            CreatedMs = reader.GetInt64(7),
            UpdatedMs = reader.GetInt64(8),
        };
    }
}
