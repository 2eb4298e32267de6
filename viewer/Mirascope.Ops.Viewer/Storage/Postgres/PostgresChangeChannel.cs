using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Mirascope.Ops.Viewer.Storage.Postgres
{
    /// <summary>
    /// PostgreSQL's LISTEN/NOTIFY on one channel of the database: every viewer sharing it says "stored" after each write
    /// (<see cref="PublishAsync"/>) and hears the others (<see cref="ListenAsync"/>), so a page served by one instance sees
    /// spans another instance took at once. A notification carries only the sender's instance id: a wake-up, no data; what
    /// changed is read from the tables as before. Notifications are per database, so viewers on other schemas of the same
    /// database hear them too, which only costs them one extra check.
    /// </summary>
    internal sealed class PostgresChangeChannel
    {
        private static readonly SqlText ListenText = SqlText.Of($"LISTEN mirascope_viewer_stored");
        private static readonly SqlText NotifyText = SqlText.Of($"SELECT pg_notify('mirascope_viewer_stored', @instance)");

        private readonly PostgresEngine _engine;

        public PostgresChangeChannel(PostgresEngine engine)
        {
            _engine = engine;
        }

        /// <summary>This process's id on the channel: its own notifications are not reported back to it.</summary>
        public string InstanceId { get; } = Guid.NewGuid().ToString("N");

        /// <summary>Tells the other viewers that something was stored (one short statement on a pooled connection).</summary>
        public async Task PublishAsync(CancellationToken cancellation)
        {
            await using var connection = await _engine.OpenAsync(cancellation).ConfigureAwait(false);
            await using var command = SqlCommands.Create(connection, NotifyText);
            command.Bind("@instance", InstanceId);
            await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        /// <summary>
        /// Listens on a connection of its own until cancelled, calling <paramref name="heard"/> for each notification of another
        /// instance, and once right after it starts listening (something may have been stored while it was not). Throws
        /// when the connection fails; the caller listens again.
        /// </summary>
        public async Task ListenAsync(Action heard, CancellationToken cancellation)
        {
            await using var connection = (NpgsqlConnection)await _engine.OpenAsync(cancellation).ConfigureAwait(false);
            connection.Notification += (_, e) =>
            {
                if (!string.Equals(e.Payload, InstanceId, StringComparison.Ordinal))
                {
                    heard();
                }
            };
            await using (var command = SqlCommands.Create(connection, ListenText))
            {
                await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
            }

            heard();
            while (true)
            {
                await connection.WaitAsync(cancellation).ConfigureAwait(false);
            }
        }
    }
}
