using System;
using System.Collections.Generic;
using System.Data.Common;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The statements of one write (a request's span inserts, its traces' summaries), run in the order added, inside the
    /// caller's transaction. Where the provider batches (Npgsql: <see cref="DbConnection.CanCreateBatch"/>) they go to the
    /// server in one round trip at <see cref="Execute"/>; ingest used to wait for one round trip per span and three per
    /// trace, which on a busy machine cost more than the server's work. Otherwise (SQLite, in the same process: there is
    /// no round trip to save) each statement runs before the next is added, and statements of the same text reuse one
    /// command, which SQLite keeps prepared.
    /// </summary>
    internal sealed class SqlBatch : IDisposable
    {
        private readonly DbConnection _connection;
        private readonly DbTransaction _transaction;
        private readonly DbBatch? _batch;
        private readonly Dictionary<string, DbCommand> _commands = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        private DbCommand? _pending;

        public SqlBatch(DbConnection connection, DbTransaction transaction)
        {
            _connection = connection;
            _transaction = transaction;
            if (connection.CanCreateBatch)
            {
                _batch = connection.CreateBatch();
                _batch.Transaction = transaction;
            }
        }

        /// <summary>
        /// Adds a statement; bind its values on the returned <see cref="Statement"/> before the next is added. Values are
        /// made storable (<see cref="SqlCommands.MakeValuesStorable(DbCommand)"/>) before they are sent.
        /// </summary>
        public Statement Add(SqlText sql)
        {
            if (_batch is not null)
            {
                return new Statement(SqlCommands.AddTo(_batch, sql), null);
            }

            RunPending();
            if (!_commands.TryGetValue(sql.Text, out var command))
            {
                command = SqlCommands.Create(_connection, sql, _transaction);
                _commands.Add(sql.Text, command);
            }

            _pending = command;
            return new Statement(null, command);
        }

        /// <summary>Runs what has not run yet (in one round trip where the provider batches).</summary>
        public void Execute()
        {
            if (_batch is null)
            {
                RunPending();
                return;
            }

            if (_batch.BatchCommands.Count > 0)
            {
                foreach (var command in _batch.BatchCommands)
                {
                    command.MakeValuesStorable();
                }

                _batch.ExecuteNonQuery();
                _batch.BatchCommands.Clear();
            }
        }

        public void Dispose()
        {
            _batch?.Dispose();
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }
        }

        private void RunPending()
        {
            if (_pending is not null)
            {
                _pending.MakeValuesStorable();
                _pending.ExecuteNonQuery();
                _pending = null;
            }
        }

        /// <summary>One statement of the batch: its parameters by name (added on first use, kept by a reused command).</summary>
        public readonly struct Statement
        {
            private readonly DbBatchCommand? _batched;
            private readonly DbCommand? _command;

            internal Statement(DbBatchCommand? batched, DbCommand? command)
            {
                _batched = batched;
                _command = command;
            }

            /// <summary>The parameter <paramref name="name"/> (<c>@name</c>), whose value is set by the caller.</summary>
            public DbParameter Parameter(string name)
            {
                if (_batched is not null)
                {
                    var index = _batched.Parameters.IndexOf(name);
                    return index >= 0 ? _batched.Parameters[index] : SqlCommands.Parameter(_batched, name);
                }

                var own = _command!.Parameters.IndexOf(name);
                return own >= 0 ? _command.Parameters[own] : _command.AddParameter(name);
            }

            /// <summary>Sets parameter <paramref name="name"/> to <paramref name="value"/> (null as NULL).</summary>
            public Statement Bind(string name, object? value)
            {
                Parameter(name).Value = value ?? DBNull.Value;
                return this;
            }
        }
    }
}
