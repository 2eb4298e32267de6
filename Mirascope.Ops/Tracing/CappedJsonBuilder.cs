using System;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Builds one recorded JSON value under a budget of UTF-8 bytes (<see cref="RecordingLimits.MaxAttributeLength"/>).
    /// A value that does not fit is cut and recorded as a JSON string ending in <see cref="Marker"/>, so the document
    /// stays valid JSON and the cut is visible; serialization stops at the budget, so a 10 MB argument is never copied.
    /// The text is kept in a char array: a small one stays with the builder, larger ones are rented from
    /// <see cref="ArrayPool{T}.Shared"/> and given back by <see cref="Release"/>, so a reused builder that once recorded a
    /// value near the cap neither keeps nor reallocates its buffer.
    /// </summary>
    internal sealed class CappedJsonBuilder
    {
        public const string Marker = "…[truncated]";

        /// <summary>The marker's size in UTF-8 ("…" is 3 bytes).</summary>
        public const int MarkerBytes = 14;

        /// <summary>Buffers up to this size stay with a reused builder; larger ones go back to the pool.</summary>
        private const int KeptCapacity = 4096;

#if NET8_0_OR_GREATER
        /// <summary>Room for any number this builder formats ("-1.7976931348623157E+308", decimal.MinValue).</summary>
        private const int MaxNumberLength = 64;
#endif

        private readonly char[] _initial = new char[128];
        private char[] _chars;
        private int _length;
        private int _limit;
        private int _used;

        public CappedJsonBuilder(int limit)
        {
            _chars = _initial;
            Reset(limit);
        }

        public bool IsExhausted => _used >= _limit;

        public void Reset(int limit)
        {
            _length = 0;
            _limit = limit;
            _used = 0;
        }

        /// <summary>Empties the builder and gives a large buffer back to the pool, for a builder kept between values.</summary>
        public void Release()
        {
            _length = 0;
            if (_chars.Length > KeptCapacity)
            {
                ArrayPool<char>.Shared.Return(_chars);
                _chars = _initial;
            }
        }

        /// <summary>Appends JSON punctuation or a number (ASCII); these always go in, so the document stays well-formed.</summary>
        public void AppendAscii(string value)
        {
            Append(value.AsSpan());
            _used += value.Length;
        }

        public void AppendAscii(char value)
        {
            Append(value);
            _used++;
        }

        /// <summary>Appends a number in its invariant-culture text (<paramref name="format"/>, or the general format).</summary>
#if NET8_0_OR_GREATER
        public void AppendNumber<T>(T value, string? format = null)
            where T : ISpanFormattable
        {
            // Formatted in place: no string per number (.NET caches only 0-299). Grown only when the room left is short.
            if (!value.TryFormat(_chars.AsSpan(_length), out var written, format, CultureInfo.InvariantCulture))
            {
                Ensure(MaxNumberLength);
                if (!value.TryFormat(_chars.AsSpan(_length), out written, format, CultureInfo.InvariantCulture))
                {
                    AppendAscii(value.ToString(format, CultureInfo.InvariantCulture));
                    return;
                }
            }

            _length += written;
            _used += written;
        }
#else
        public void AppendNumber<T>(T value, string? format = null)
            where T : IFormattable
        {
            AppendAscii(value.ToString(format, CultureInfo.InvariantCulture));
        }
#endif

        /// <summary>Appends a JSON string literal, cut at the budget.</summary>
        public void AppendString(string? value)
        {
            if (value is null)
            {
                AppendAscii("null");
                return;
            }

            AppendStringLiteral(value.AsSpan(), alreadyCut: false);
        }

        /// <summary>Appends <paramref name="value"/> serialized by System.Text.Json, or a cut JSON string of it when it does not fit.</summary>
        public void AppendSerialized(object value, JsonSerializerOptions options)
        {
            var serializer = Serializer.Rent(Math.Max(0, _limit - _used), options);
            try
            {
                try
                {
                    JsonSerializer.Serialize(serializer.Writer, value, value.GetType(), options);
                    serializer.Writer.Flush();
                }
                catch (BoundedBufferWriter.FullException)
                {
                    AppendCut(serializer.Buffer.WholeCharacters);
                    return;
                }

                var json = serializer.Buffer.WrittenBytes;
                _used += json.Count;
                AppendUtf8(json);
            }
            finally
            {
                Serializer.Return(serializer);
            }
        }

        public override string ToString() => new string(_chars, 0, _length);

        /// <summary>
        /// Appends the cut-off start of a serialized value as a JSON string: as much of the text as leaves room for
        /// <see cref="Marker"/>, then the marker. Decoded into a pooled array and escaped from there into the builder.
        /// </summary>
        private void AppendCut(ArraySegment<byte> utf8)
        {
            var text = ArrayPool<char>.Shared.Rent(Math.Max(1, utf8.Count));
            try
            {
                var count = Encoding.UTF8.GetChars(utf8.Array!, utf8.Offset, utf8.Count, text, 0);
                AppendStringLiteral(new ReadOnlySpan<char>(text, 0, count), alreadyCut: true);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(text);
            }
        }

        /// <summary>
        /// Appends <paramref name="value"/> as a JSON string literal, cut at the budget with <see cref="Marker"/> after
        /// the cut. When <paramref name="alreadyCut"/>, the value was cut before (at the serializer's budget) and the
        /// literal is the value, cut again where the marker still fits in this builder's budget (escaping makes the
        /// text longer than the serializer's bytes), followed by the marker.
        /// </summary>
        private void AppendStringLiteral(ReadOnlySpan<char> value, bool alreadyCut)
        {
            Append('"');
            _used += 2;
            if (alreadyCut)
            {
                // Room for the marker is kept so that the literal ends in one whole marker, never a piece of it.
                _limit -= MarkerBytes;
                AppendEscaped(value);
                _limit += MarkerBytes;
                Append(Marker.AsSpan());
                _used += MarkerBytes;
            }
            else if (!AppendEscaped(value))
            {
                Append(Marker.AsSpan());
            }

            Append('"');
        }

        /// <summary>Appends <paramref name="value"/> escaped for a JSON string; false when the budget cut it short.</summary>
        private bool AppendEscaped(ReadOnlySpan<char> value)
        {
            var start = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                var cost = c < 0x20 || c == '"' || c == '\\' ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                if (char.IsHighSurrogate(c))
                {
                    // A surrogate pair is one 4-byte character: it goes in whole or not at all.
                    cost = 4;
                }
                else if (char.IsLowSurrogate(c))
                {
                    cost = 0;
                }

                if (_used + cost > _limit)
                {
                    Append(value.Slice(start, i - start));
                    return false;
                }

                _used += cost;
                if (c >= 0x20 && c != '"' && c != '\\')
                {
                    continue;
                }

                Append(value.Slice(start, i - start));
                AppendEscape(c);
                start = i + 1;
            }

            Append(value.Slice(start));
            return true;
        }

        private void AppendEscape(char c)
        {
            switch (c)
            {
                case '"': Append('\\'); Append('"'); break;
                case '\\': Append('\\'); Append('\\'); break;
                case '\n': Append('\\'); Append('n'); break;
                case '\r': Append('\\'); Append('r'); break;
                case '\t': Append('\\'); Append('t'); break;
                case '\b': Append('\\'); Append('b'); break;
                case '\f': Append('\\'); Append('f'); break;
                default:
                    Append('\\');
                    Append('u');
                    for (var shift = 12; shift >= 0; shift -= 4)
                    {
                        Append("0123456789abcdef"[(c >> shift) & 0xF]);
                    }

                    break;
            }
        }

        /// <summary>Appends serialized JSON (already escaped), decoded from UTF-8 straight into the buffer.</summary>
        private void AppendUtf8(ArraySegment<byte> utf8)
        {
            // UTF-8 never decodes to more chars than it has bytes.
            Ensure(utf8.Count);
            _length += Encoding.UTF8.GetChars(utf8.Array!, utf8.Offset, utf8.Count, _chars, _length);
        }

        private void Append(char value)
        {
            if (_length == _chars.Length)
            {
                Ensure(1);
            }

            _chars[_length++] = value;
        }

        private void Append(ReadOnlySpan<char> value)
        {
            Ensure(value.Length);
            value.CopyTo(_chars.AsSpan(_length));
            _length += value.Length;
        }

        /// <summary>Makes room for <paramref name="count"/> more chars, growing into a pooled array.</summary>
        private void Ensure(int count)
        {
            if (_chars.Length - _length >= count)
            {
                return;
            }

            var next = ArrayPool<char>.Shared.Rent(Math.Max(_length + count, _chars.Length * 2));
            Array.Copy(_chars, next, _length);
            if (_chars != _initial)
            {
                ArrayPool<char>.Shared.Return(_chars);
            }

            _chars = next;
        }

        /// <summary>
        /// A thread's reusable serializer: the bounded buffer and the <see cref="Utf8JsonWriter"/> over it. Taken while in
        /// use, so a value whose serialization records another value (a traced getter) gets its own.
        /// </summary>
        private sealed class Serializer
        {
            [ThreadStatic]
            private static Serializer? _cached;

            private Serializer(JsonSerializerOptions options)
            {
                Buffer = new BoundedBufferWriter();
                Writer = new Utf8JsonWriter(Buffer, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
            }

            public BoundedBufferWriter Buffer { get; }

            public Utf8JsonWriter Writer { get; }

            public static Serializer Rent(int limit, JsonSerializerOptions options)
            {
                var serializer = _cached ?? new Serializer(options);
                _cached = null;
                serializer.Buffer.Reset(limit);
                serializer.Writer.Reset(serializer.Buffer);
                return serializer;
            }

            public static void Return(Serializer serializer)
            {
                // A writer left mid-document by an exception is reset on the next Rent; a large buffer goes back to the pool.
                serializer.Buffer.Release();
                _cached = serializer;
            }
        }
    }
}
