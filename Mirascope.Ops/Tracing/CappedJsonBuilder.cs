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
            var budget = Math.Max(0, _limit - _used);
            var buffer = new BoundedBufferWriter(budget);
            try
            {
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true }))
                {
                    JsonSerializer.Serialize(writer, value, value.GetType(), options);
                }
            }
            catch (BoundedBufferWriter.FullException)
            {
                AppendString(buffer.Text() + Marker);
                return;
            }

            var json = buffer.Text();
            _text.Append(json);
            _used += buffer.Written;
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

        /// <summary>An <see cref="IBufferWriter{T}"/> that refuses to grow past its limit, which stops the serializer early.</summary>
        private sealed class BoundedBufferWriter : IBufferWriter<byte>
        {
            private readonly int _limit;
            private byte[] _buffer;

            public BoundedBufferWriter(int limit)
            {
                _limit = limit;
                _buffer = new byte[Math.Min(Math.Max(limit, 16), 256)];
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
