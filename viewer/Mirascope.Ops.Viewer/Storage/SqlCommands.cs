using System;
using System.Data.Common;
using System.Text.RegularExpressions;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The one place a command gets its text, on either engine: only from <see cref="SqlText"/>, so nothing a client sent is
    /// ever part of the SQL; values are bound with <see cref="Bind"/> under names checked to be names. A test reads the
    /// viewer's source and fails when <c>CommandText</c> is set anywhere else.
    /// </summary>
    internal static class SqlCommands
    {
        public static DbCommand Create(DbConnection connection, SqlText sql, DbTransaction? transaction = null)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql.Text;
            command.Transaction = transaction;
            return command;
        }

        /// <summary>Gives a command created elsewhere (a reused one) its text.</summary>
        public static void SetText(this DbCommand command, SqlText sql) => command.CommandText = sql.Text;

        /// <summary>Binds <paramref name="value"/> (null as NULL) to the parameter <paramref name="name"/> (<c>@name</c>).</summary>
        public static DbCommand Bind(this DbCommand command, string name, object? value)
        {
            command.Parameters.Add(Parameter(command, name, value));
            return command;
        }

        /// <summary>Adds a parameter whose value is set later (a command run once per row); see <see cref="Bind"/>.</summary>
        public static DbParameter AddParameter(this DbCommand command, string name)
        {
            var parameter = Parameter(command, name, null);
            command.Parameters.Add(parameter);
            return parameter;
        }

        private static DbParameter Parameter(DbCommand command, string name, object? value)
        {
            if (!SqlText.IsParameterName(name))
            {
                throw new ArgumentException($"\"{name}\" is not a SQL parameter name.", nameof(name));
            }

            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = Storable(command, value ?? DBNull.Value);
            return parameter;
        }

        /// <summary>
        /// Adds a statement to <paramref name="batch"/> (<see cref="SqlBatch"/>): its text only from <see cref="SqlText"/>,
        /// as every command's.
        /// </summary>
        public static DbBatchCommand AddTo(DbBatch batch, SqlText sql)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql.Text;
            batch.BatchCommands.Add(command);
            return command;
        }

        /// <summary>The parameter <paramref name="name"/> of a statement of a batch (added when missing), checked to be a name.</summary>
        public static DbParameter Parameter(DbBatchCommand command, string name)
        {
            if (!SqlText.IsParameterName(name))
            {
                throw new ArgumentException($"\"{name}\" is not a SQL parameter name.", nameof(name));
            }

            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
            return parameter;
        }

        /// <summary>Makes the values of a batch statement's parameters storable, as <see cref="MakeValuesStorable(DbCommand)"/> does.</summary>
        public static void MakeValuesStorable(this DbBatchCommand command)
        {
            var postgres = command is Npgsql.NpgsqlBatchCommand;
            foreach (DbParameter parameter in command.Parameters)
            {
                parameter.Value = Storable(postgres, parameter.Value);
            }
        }

        /// <summary>
        /// Makes the values of parameters set one by one (<see cref="AddParameter"/>) storable, as <see cref="Bind"/> does:
        /// call it before each execution.
        /// </summary>
        public static void MakeValuesStorable(this DbCommand command)
        {
            foreach (DbParameter parameter in command.Parameters)
            {
                parameter.Value = Storable(command, parameter.Value);
            }
        }

        /// <summary>
        /// PostgreSQL's text cannot hold U+0000 (SQLite's can), nor can its JSON functions read the escape <c>\u0000</c> as
        /// text: on PostgreSQL a NUL in a value (or escaped in a JSON value) is stored, and searched for, as U+FFFD, the
        /// replacement character, rather than failing the whole request. The only value the engines store differently.
        /// </summary>
        private static object? Storable(DbCommand command, object? value) => Storable(command is Npgsql.NpgsqlCommand, value);

        private static object? Storable(bool postgres, object? value)
        {
            if (postgres && value is string?[] texts)
            {
                // A column's values as one array (SpanWrites): each element as a single value would be.
                for (var i = 0; i < texts.Length; i++)
                {
                    texts[i] = (string?)Storable(postgres, texts[i]);
                }

                return texts;
            }

            if (value is not string text || !postgres)
            {
                return value;
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                text = text.Replace('\0', '\uFFFD');
            }

            // \u0000 preceded by an even number of backslashes is the escape (an odd number escapes the backslash itself).
            return text.Contains("\\u0000", StringComparison.Ordinal) ? EscapedNul.Replace(text, "$1\\ufffd") : text;
        }

        private static readonly Regex EscapedNul = new Regex(@"(?<!\\)((?:\\\\)*)\\u0000", RegexOptions.CultureInvariant);
    }
}
