using System;
using System.Collections.Generic;
using System.Data.Common;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// Registered function versions, in the span database's <c>functions</c> table. A version is never changed (the Cloud
    /// had no update either); the same code (hash) is registered once per environment. As in the Cloud, functions belong to
    /// the environment they were registered in (the key's; <see cref="TraceEnvironments.Implicit"/> in single-developer
    /// mode), each environment numbers a name's versions on its own, and reads given an environment see only its functions
    /// (null: all, single-developer mode).
    /// </summary>
    internal sealed class FunctionStore
    {
        private static readonly SqlText Columns = SqlText.Of($"id, hash, signature_hash, name, description, version, major, minor, tags, metadata, code, signature, language, dependencies, created_ms, updated_ms");

        /// <summary>
        /// Registrations follow one another (in every process on the database): the hash is looked up and the name's number
        /// read and moved under this lock, so a hash is stored once and a number given once.
        /// </summary>
        private static readonly string[] WriteLock = { "function_versions" };

        private readonly TraceStore _database;

        public FunctionStore(TraceStore database)
        {
            _database = database;
        }

        /// <summary>
        /// Registers the draft with the next version number of its name, or returns the version that already has its hash
        /// (<paramref name="created"/> false). The number comes from the name's sequence (<c>function_versions</c>), read and
        /// moved inside the write transaction, so registrations at once (several processes included) get distinct numbers in
        /// the order they are stored; <paramref name="now"/> is only the record's creation time.
        /// </summary>
        public FunctionRecord Create(FunctionDraft draft, DateTimeOffset now, string environmentId, out bool created)
        {
            using var connection = _database.Open();
            using var transaction = _database.Engine.BeginWrite(connection, WriteLock);
            var existing = Single(connection, transaction, SqlText.Of($"hash = @key"), draft.Hash, environmentId);
            if (existing is not null)
            {
                created = false;
                return existing;
            }

            // The name's last number, read and moved inside this write transaction (which holds the registrations' lock: the
            // file's write lock in SQLite, an advisory lock in PostgreSQL), so the number follows the stored order, whatever
            // the clocks of the requests or processes say.
            var version = FunctionVersionNumber.Next(LastVersion(connection, transaction, draft.Name, environmentId), draft.SignatureHash);
            using (var sequence = SqlCommands.Create(connection, SqlText.Of($@"INSERT INTO function_versions (environment_id, name, major, minor, signature_hash)
                VALUES (@environment, @name, @major, @minor, @signatureHash)
                ON CONFLICT (environment_id, name) DO UPDATE SET major = excluded.major, minor = excluded.minor, signature_hash = excluded.signature_hash"), transaction))
            {
                sequence.Bind("@environment", environmentId).Bind("@name", draft.Name).Bind("@major", version.Major).Bind("@minor", version.Minor).Bind("@signatureHash", draft.SignatureHash);
                sequence.ExecuteNonQuery();
            }

            var record = new FunctionRecord
            {
                Id = Guid.NewGuid().ToString("D"),
                Hash = draft.Hash,
                SignatureHash = draft.SignatureHash,
                Name = draft.Name,
                Description = draft.Description,
                Version = FunctionVersionNumber.Text(version),
                Major = version.Major,
                Minor = version.Minor,
                TagsJson = draft.TagsJson,
                MetadataJson = draft.MetadataJson,
                Code = draft.Code,
                Signature = draft.Signature,
                Language = draft.Language,
                DependenciesJson = draft.DependenciesJson,
                CreatedMs = now.ToUnixTimeMilliseconds(),
                UpdatedMs = now.ToUnixTimeMilliseconds(),
            };

            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.SetText(SqlText.Of($"INSERT INTO functions ({Columns}, environment_id) VALUES (@id, @hash, @signatureHash, @name, @description, @version, @major, @minor, @tags, @metadata, @code, @signature, @language, @dependencies, @created, @updated, @environment)"));
                insert.Bind("@environment", environmentId);
                insert.Bind("@id", record.Id);
                insert.Bind("@hash", record.Hash);
                insert.Bind("@signatureHash", record.SignatureHash);
                insert.Bind("@name", record.Name);
                insert.Bind("@description", (object?)record.Description ?? DBNull.Value);
                insert.Bind("@version", record.Version);
                insert.Bind("@major", record.Major);
                insert.Bind("@minor", record.Minor);
                insert.Bind("@tags", (object?)record.TagsJson ?? DBNull.Value);
                insert.Bind("@metadata", (object?)record.MetadataJson ?? DBNull.Value);
                insert.Bind("@code", record.Code);
                insert.Bind("@signature", record.Signature);
                insert.Bind("@language", record.Language);
                insert.Bind("@dependencies", (object?)record.DependenciesJson ?? DBNull.Value);
                insert.Bind("@created", record.CreatedMs);
                insert.Bind("@updated", record.UpdatedMs);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            created = true;
            return record;
        }

        /// <summary>Every version, newest first (the Cloud's list order).</summary>
        public List<FunctionRecord> List(string? environmentId) => Many(SqlText.Of($"1 = 1"), SqlText.Of($" ORDER BY created_ms DESC, seq DESC"), null, environmentId);

        /// <summary>The versions of one name, newest first.</summary>
        public List<FunctionRecord> ByName(string name, string? environmentId) => Many(SqlText.Of($"name = @key"), SqlText.Of($" ORDER BY major DESC, minor DESC, seq DESC"), name, environmentId);

        public FunctionRecord? Get(string id, string? environmentId) => Find(SqlText.Of($"id = @key"), id, environmentId);

        public FunctionRecord? FindByHash(string hash, string? environmentId) => Find(SqlText.Of($"hash = @key"), hash, environmentId);

        /// <summary>Deletes the version; false when there is none (in <paramref name="environmentId"/>, when one is given).</summary>
        public bool Delete(string id, string? environmentId)
        {
            using var connection = _database.Open();
            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($"DELETE FROM functions WHERE id = @id{TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"functions"))}"));
            command.Bind("@id", id);
            TraceEnvironments.Bind(command, environmentId);
            return command.ExecuteNonQuery() > 0;
        }

        private FunctionRecord? Find(SqlText where, string key, string? environmentId)
        {
            using var connection = _database.Open();
            using var transaction = _database.Engine.BeginRead(connection);
            return Single(connection, transaction, where, key, environmentId);
        }

        private List<FunctionRecord> Many(SqlText where, SqlText order, string? key, string? environmentId)
        {
            using var connection = _database.Open();
            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($"SELECT {Columns} FROM functions WHERE {where}{TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"functions"))}{order}"));
            TraceEnvironments.Bind(command, environmentId);
            if (key is not null)
            {
                command.Bind("@key", key);
            }

            var records = new List<FunctionRecord>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                records.Add(Read(reader));
            }

            return records;
        }

        /// <summary>The last number given to the name and the signature hash it was given for; null before its first version.</summary>
        private static FunctionVersionNumber.Last? LastVersion(DbConnection connection, DbTransaction transaction, string name, string environmentId)
        {
            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT major, minor, signature_hash FROM function_versions WHERE environment_id = @environment AND name = @name"), transaction);
            command.Bind("@environment", environmentId).Bind("@name", name);
            using var reader = command.ExecuteReader();
            return reader.Read() ? new FunctionVersionNumber.Last(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2)) : null;
        }

        private static FunctionRecord? Single(DbConnection connection, DbTransaction transaction, SqlText where, string key, string? environmentId)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.SetText(SqlText.Of($"SELECT {Columns} FROM functions WHERE {where}{TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"functions"))} ORDER BY seq LIMIT 1"));
            command.Bind("@key", key);
            TraceEnvironments.Bind(command, environmentId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }

        private static FunctionRecord Read(DbDataReader reader) => new FunctionRecord
        {
            Id = reader.GetString(0),
            Hash = reader.GetString(1),
            SignatureHash = reader.GetString(2),
            Name = reader.GetString(3),
            Description = reader.IsDBNull(4) ? null : reader.GetString(4),
            Version = reader.GetString(5),
            Major = reader.GetInt32(6),
            Minor = reader.GetInt32(7),
            TagsJson = reader.IsDBNull(8) ? null : reader.GetString(8),
            MetadataJson = reader.IsDBNull(9) ? null : reader.GetString(9),
            Code = reader.GetString(10),
            Signature = reader.GetString(11),
            Language = reader.GetString(12),
            DependenciesJson = reader.IsDBNull(13) ? null : reader.GetString(13),
            CreatedMs = reader.GetInt64(14),
            UpdatedMs = reader.GetInt64(15),
        };
    }
}
