using System;
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Builds one recorded JSON value under a budget of UTF-8 bytes (<see cref="RecordingLimits.MaxAttributeLength"/>).
    /// A value that does not fit is cut and recorded as a JSON string ending in <see cref="Marker"/>, so the document
    /// stays valid JSON and the cut is visible; serialization stops at the budget, so a 10 MB argument is never copied.
    /// </summary>
    internal sealed class CappedJsonBuilder
    {
        public const string Marker = "…[truncated]";

        private readonly StringBuilder _text = new StringBuilder(128);
        private int _limit;
        private int _used;

        public CappedJsonBuilder(int limit)
        {
            Reset(limit);
        }

        public int Capacity => _text.Capacity;

        public bool IsExhausted => _used >= _limit;

        public void Reset(int limit)
        {
            _text.Clear();
            _limit = limit;
            _used = 0;
        }

        /// <summary>Appends JSON punctuation or a number (ASCII); these always go in, so the document stays well-formed.</summary>
        public void AppendAscii(string value)
        {
            _text.Append(value);
            _used += value.Length;
        }

        public void AppendAscii(char value)
        {
            _text.Append(value);
            _used++;
        }

        /// <summary>Appends a JSON string literal, cut at the budget.</summary>
        public void AppendString(string? value)
        {
            if (value is null)
            {
                AppendAscii("null");
                return;
            }

            _text.Append('"');
            _used += 2;
            var start = 0;
            var truncated = false;
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
                    _text.Append(value, start, i - start);
                    truncated = true;
                    break;
                }

                _used += cost;
                if (c >= 0x20 && c != '"' && c != '\\')
                {
                    continue;
                }

                _text.Append(value, start, i - start);
                AppendEscape(c);
                start = i + 1;
            }

            if (truncated)
            {
                _text.Append(Marker);
            }
            else
            {
                _text.Append(value, start, value.Length - start);
            }

            _text.Append('"');
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
                    AppendString(serializer.Buffer.Text() + Marker);
                    return;
                }

                _used += serializer.Buffer.Written;
                serializer.Buffer.AppendTo(_text);
            }
            finally
            {
                Serializer.Return(serializer);
            }
        }

        public override string ToString() => _text.ToString();

        private void AppendEscape(char c)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                default: _text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }

        /// <summary>
        /// A thread's reusable serializer: the bounded buffer and the <see cref="Utf8JsonWriter"/> over it. Taken while in
        /// use, so a value whose serialization records another value (a traced getter) gets its own.
        /// </summary>
        private sealed class Serializer
        {
            private const int KeptCapacity = 64 * 1024;

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
                // A writer left mid-document by an exception is reset on the next Rent; a grown buffer is not kept.
                if (serializer.Buffer.Capacity <= KeptCapacity)
                {
                    _cached = serializer;
                }
            }
        }

        /// <summary>An <see cref="IBufferWriter{T}"/> that refuses to grow past its limit, which stops the serializer early.</summary>
        private sealed class BoundedBufferWriter : IBufferWriter<byte>
        {
            private int _limit;
            private byte[] _buffer = new byte[256];
            private char[] _chars = new char[256];

            /// <summary>Empties the buffer for a new value, keeping its arrays.</summary>
            public void Reset(int limit)
            {
                _limit = limit;
                Written = 0;
            }

            public int Capacity => _buffer.Length;

            /// <summary>Decodes what was written straight into <paramref name="text"/>, without an intermediate string.</summary>
            public void AppendTo(StringBuilder text)
            {
                if (_chars.Length < Written)
                {
                    _chars = new char[Math.Max(Written, _chars.Length * 2)];
                }

                var count = Encoding.UTF8.GetChars(_buffer, 0, Written, _chars, 0);
                text.Append(_chars, 0, count);
            }

            public int Written { get; private set; }

            public void Advance(int count)
            {
                Written += count;
                if (Written > _limit)
                {
                    Written = _limit;
                    throw new FullException();
                }
            }

            public Memory<byte> GetMemory(int sizeHint = 0)
            {
                Ensure(sizeHint);
                return _buffer.AsMemory(Written);
            }

            public Span<byte> GetSpan(int sizeHint = 0)
            {
                Ensure(sizeHint);
                return _buffer.AsSpan(Written);
            }

            public string Text()
            {
                // Do not split a multi-byte character where the limit cut the bytes.
                var length = Written;
                var continuation = 0;
                while (continuation < 3 && length - continuation > 0 && (_buffer[length - continuation - 1] & 0xC0) == 0x80)
                {
                    continuation++;
                }

                if (length - continuation > 0)
                {
                    var lead = _buffer[length - continuation - 1];
                    var expected = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
                    if (expected != continuation)
                    {
                        length -= continuation + (lead >= 0xC0 ? 1 : 0);
                    }
                }

                return Encoding.UTF8.GetString(_buffer, 0, Math.Max(0, length));
            }

            private void Ensure(int sizeHint)
            {
                var needed = Written + Math.Max(sizeHint, 1);
                if (needed <= _buffer.Length)
                {
                    return;
                }

                // The writer asks for the worst case of the next token at once (a 10 MB string asks for ~60 MB):
                // refuse anything that cannot fit, which stops serialization without copying the value.
                if (needed > _limit + Slack)
                {
                    throw new FullException();
                }

                Array.Resize(ref _buffer, Math.Min(Math.Max(_buffer.Length * 2, needed), _limit + Slack));
            }

            private const int Slack = 256;

            public sealed class FullException : Exception
            {
            }
        }
    }
}
