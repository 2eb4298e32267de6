using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// SQL text that holds no text a client sent. It is made only of the literal parts of interpolated strings in our source
    /// (<c>SqlText.Of($"... WHERE trace_id = $trace")</c>), other <see cref="SqlText"/> and parameter names checked to be
    /// names (<see cref="Parameter"/>). A <c>string</c> cannot be put in a hole: <see cref="SqlTextBuilder"/> has no
    /// overload for it, so a value read from a request does not compile into SQL; values travel only as bound parameters.
    /// <see cref="SqlCommands"/> is the one place a command's text is set, and it takes only this type. The type knows no
    /// engine: a second engine builds its own texts with it and sets them in its own one place.
    /// </summary>
    internal sealed class SqlText
    {
        public static readonly SqlText Empty = new SqlText(string.Empty);

        private SqlText(string text)
        {
            Text = text;
        }

        /// <summary>The SQL as the engine receives it.</summary>
        public string Text { get; }

        public bool IsEmpty => Text.Length == 0;

        /// <summary>Literal SQL from our source, with <see cref="SqlText"/> holes only.</summary>
        public static SqlText Of(SqlTextBuilder text) => new SqlText(text.Build());

        /// <summary>
        /// A parameter placeholder whose name our code composes (<c>$token0</c>, <c>$path1</c>): a <c>$</c> or <c>@</c> (the
        /// prefix PostgreSQL's Npgsql takes; SQLite takes both), a letter, then letters, digits and underscores only, so it
        /// can never carry anything but a name.
        /// </summary>
        /// <exception cref="ArgumentException">Not such a name (a bug in the caller, never client input).</exception>
        public static SqlText Parameter(string name)
        {
            if (!IsParameterName(name))
            {
                throw new ArgumentException($"\"{name}\" is not a SQL parameter name ($ or @, a letter, then letters, digits or _).", nameof(name));
            }

            return new SqlText(name);
        }

        /// <summary>The parts, separated by <paramref name="separator"/>.</summary>
        public static SqlText Join(SqlText separator, IEnumerable<SqlText> parts)
        {
            var text = new StringBuilder();
            foreach (var part in parts)
            {
                if (text.Length > 0)
                {
                    text.Append(separator.Text);
                }

                text.Append(part.Text);
            }

            return new SqlText(text.ToString());
        }

        /// <summary>True for <c>$name</c> or <c>@name</c>: what <see cref="Parameter"/> accepts and what a bound parameter must be called.</summary>
        public static bool IsParameterName(string name)
        {
            if (name.Length < 2 || name[0] is not ('$' or '@') || !IsAsciiLetter(name[1]))
            {
                return false;
            }

            for (var i = 2; i < name.Length; i++)
            {
                if (!IsAsciiLetter(name[i]) && !char.IsAsciiDigit(name[i]) && name[i] != '_')
                {
                    return false;
                }
            }

            return true;
        }

        public override string ToString() => Text;

        private static bool IsAsciiLetter(char c) => char.IsAsciiLetter(c);
    }

    /// <summary>
    /// The interpolated-string handler behind <see cref="SqlText.Of"/>: the compiler passes it the literal parts of the
    /// string as written in our source and the holes, which may only be <see cref="SqlText"/>.
    /// </summary>
    [InterpolatedStringHandler]
    internal readonly struct SqlTextBuilder
    {
        private readonly StringBuilder _text;

        public SqlTextBuilder(int literalLength, int formattedCount)
        {
            _text = new StringBuilder(literalLength + formattedCount * 16);
        }

        public void AppendLiteral(string literal) => _text.Append(literal);

        public void AppendFormatted(SqlText part) => _text.Append(part.Text);

        internal string Build() => _text.ToString();
    }
}
