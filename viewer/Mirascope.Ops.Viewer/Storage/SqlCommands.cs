using System;
using Microsoft.Data.Sqlite;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The one place a SQLite command gets its text: only from <see cref="SqlText"/>, so nothing a client sent is ever part
    /// of the SQL; values are bound with <see cref="Bind"/> (or <c>Parameters</c>) under names checked to be names. A test
    /// reads the viewer's source and fails when <c>CommandText</c> is set anywhere else.
    /// </summary>
    internal static class SqlCommands
    {
        public static SqliteCommand Create(SqliteConnection connection, SqlText sql, SqliteTransaction? transaction = null)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql.Text;
            command.Transaction = transaction;
            return command;
        }

        /// <summary>Gives a command created elsewhere (a reused, prepared one) its text.</summary>
        public static void SetText(this SqliteCommand command, SqlText sql) => command.CommandText = sql.Text;

        /// <summary>Binds <paramref name="value"/> (null as NULL) to the parameter <paramref name="name"/> (<c>$name</c>).</summary>
        public static SqliteCommand Bind(this SqliteCommand command, string name, object? value)
        {
            if (!SqlText.IsParameterName(name))
            {
                throw new ArgumentException($"\"{name}\" is not a SQL parameter name.", nameof(name));
            }

            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            return command;
        }
    }
}
