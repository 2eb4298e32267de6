using System;
using System.Buffers;
using System.Globalization;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// One recorded JSON document under construction, under a budget of UTF-8 bytes
    /// (<see cref="RecordingLimits.MaxAttributeLength"/>) that includes every byte written, the truncation marker and
    /// the closing brackets. A value that does not fit is cut where the budget ends and the document stays JSON of the
    /// same shape: a string ends in <see cref="Marker"/>; an array or object that had more to say ends in a marker
    /// element (<c>"…[truncated]"</c> in an array, <c>"…[truncated]":true</c> in an object) and every open container
    /// is closed. Once cut, the builder takes nothing more (<see cref="IsTruncated"/>).
    /// </summary>
    /// <remarks>
    /// Room for the closers of the open containers and for one marker element is reserved as containers open, so the
    /// cut can always be written. The text is kept in a char array: a small one stays with the builder, larger ones are
    /// rented from <see cref="ArrayPool{T}.Shared"/> and given back by <see cref="Release"/>.
    /// </remarks>
    internal sealed class CappedJsonBuilder
    {
        public const string Marker = "…[truncated]";

        /// <summary>The marker's size in UTF-8 ("…" is 3 bytes).</summary>
        public const int MarkerBytes = 14;

        /// <summary>The largest marker element: <c>,"…[truncated]":true</c>.</summary>
        private const int MarkerElementBytes = 1 + 2 + MarkerBytes + 5;

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
        private int _open;

        public CappedJsonBuilder(int limit)
        {
            _chars = _initial;
            Reset(limit);
        }

        /// <summary>True once a value was cut: the document is complete up to its closers and takes nothing more.</summary>
        public bool IsTruncated { get; private set; }

        /// <summary>The recording state of the value walk: the values left in its work budget, its ancestors.</summary>
        public RecordingWalk Walk { get; } = new RecordingWalk();

        /// <summary>A position to come back to when the element written after it does not fit.</summary>
        public BuilderMark Mark => new BuilderMark(_length, _used, _open);

        /// <summary>UTF-8 bytes the next value may still use.</summary>
        private int Room => _limit - _used - Reserved;

        private int Reserved => _open == 0 ? 0 : _open + MarkerElementBytes;

        public void Reset(int limit)
        {
            _length = 0;
            _limit = limit;
            _used = 0;
            _open = 0;
            IsTruncated = false;
            Walk.Reset();
        }

        /// <summary>Empties the builder and gives a large buffer back to the pool, for a builder kept between values.</summary>
        public void Release()
        {
            _length = 0;
            Walk.Reset();
            if (_chars.Length > KeptCapacity)
            {
                ArrayPool<char>.Shared.Return(_chars);
                _chars = _initial;
            }
        }

        public override string ToString() => new string(_chars, 0, _length);

        /// <summary>Opens an array or object; false (and the builder is cut) when not even its brackets fit.</summary>
        public bool Open(char bracket)
        {
            // The first container also reserves the marker element: Room already counts it from here on.
            var cost = 1 + 1 + (_open == 0 ? MarkerElementBytes : 0);
            if (IsTruncated || Room < cost)
            {
                IsTruncated = true;
                return false;
            }

            Append(bracket);
            _used++;
            _open++;
            return true;
        }

        /// <summary>Closes the innermost container (its room was reserved when it opened).</summary>
        public void Close(char bracket)
        {
            _open--;
            Append(bracket);
            _used++;
        }

        /// <summary>
        /// Goes back to <paramref name="mark"/> (before the comma of an element that did not fit at all) and ends the
        /// container with the marker element, in the room reserved for it.
        /// </summary>
        public void RollBackAndCut(BuilderMark mark, bool inObject, bool first)
        {
            RollBack(mark);
            AppendMarkerElement(inObject, first);
        }

        /// <summary>Ends the current container with the marker element (more elements were left out).</summary>
        public void AppendMarkerElement(bool inObject, bool first)
        {
            if (!first)
            {
                Append(',');
                _used++;
            }

            Append('"');
            Append(Marker.AsSpan());
            Append('"');
            _used += MarkerBytes + 2;
            if (inObject)
            {
                Append(":true".AsSpan());
                _used += 5;
            }

            IsTruncated = true;
        }

        /// <summary>Appends a comma between elements; it always fits (an element that then does not is rolled back).</summary>
        public void Comma()
        {
            Append(',');
            _used++;
        }

        /// <summary>Appends a colon after a property name.</summary>
        public void Colon()
        {
            Append(':');
            _used++;
        }

        /// <summary>
        /// Appends JSON text prepared beforehand (a member's escaped name and colon) of <paramref name="utf8Bytes"/>
        /// UTF-8 bytes, whole or not at all; false (and the builder is cut) when it does not fit.
        /// </summary>
        public bool TryAppendRaw(string json, int utf8Bytes)
        {
            if (IsTruncated || utf8Bytes > Room)
            {
                IsTruncated = true;
                return false;
            }

            Append(json.AsSpan());
            _used += utf8Bytes;
            return true;
        }

        /// <summary>Appends ASCII text that is a whole JSON token (a literal, a number); false when it does not fit.</summary>
        public bool TryAppendToken(string token) => TryAppendToken(token.AsSpan());

        public bool TryAppendToken(ReadOnlySpan<char> token)
        {
            if (IsTruncated || token.Length > Room)
            {
                IsTruncated = true;
                return false;
            }

            Append(token);
            _used += token.Length;
            return true;
        }

        /// <summary>
        /// Appends JSON punctuation or text that must go in whatever the budget (the caller's own structure, already
        /// accounted for by its caller). Counted against the budget.
        /// </summary>
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
        public bool TryAppendNumber<T>(T value, string? format = null)
            where T : ISpanFormattable
        {
            // Formatted in place: no string per number (.NET caches only 0-299).
            if (IsTruncated)
            {
                return false;
            }

            Ensure(MaxNumberLength);
            if (!value.TryFormat(_chars.AsSpan(_length), out var written, format, CultureInfo.InvariantCulture))
            {
                return TryAppendToken(value.ToString(format, CultureInfo.InvariantCulture));
            }

            if (written > Room)
            {
                IsTruncated = true;
                return false;
            }

            _length += written;
            _used += written;
            return true;
        }
#else
        public bool TryAppendNumber<T>(T value, string? format = null)
            where T : IFormattable
        {
            return TryAppendToken(value.ToString(format, CultureInfo.InvariantCulture));
        }
#endif

        /// <summary>
        /// Appends a JSON string literal. One that does not fit whole is cut where the budget ends and ends in
        /// <see cref="Marker"/> (the builder is then cut); false when not even <c>"…[truncated]"</c> fits.
        /// </summary>
        public bool AppendString(string? value)
        {
            if (value is null)
            {
                return TryAppendToken("null");
            }

            return AppendString(value.AsSpan(), int.MaxValue);
        }

        /// <summary>
        /// Appends a JSON string literal of at most <paramref name="maxBytes"/> UTF-8 bytes of text (a smaller cap for
        /// strings nested in objects); a string longer than that is cut with the marker but the document goes on.
        /// </summary>
        public bool AppendString(ReadOnlySpan<char> value, int maxBytes)
        {
            if (IsTruncated)
            {
                return false;
            }

            var room = Room - 2;
            if (room < 0)
            {
                IsTruncated = true;
                return false;
            }

            var mark = Mark;
            Append('"');
            _used++;
            var allowed = Math.Min(room, maxBytes);

            // A string with more chars than bytes allowed cannot fit (a char is at least one byte): straight to the cut.
            if (value.Length > allowed || !AppendEscaped(value, allowed))
            {
                // Cut: take back what leaves no room for the marker, so the literal ends in one whole marker.
                RollBack(mark);
                if (room < MarkerBytes)
                {
                    IsTruncated = true;
                    return false;
                }

                Append('"');
                _used++;
                AppendEscaped(value, Math.Min(room, maxBytes) - MarkerBytes);
                Append(Marker.AsSpan());
                _used += MarkerBytes;
                if (maxBytes >= room)
                {
                    // The document's budget ended here, not the string's own cap.
                    IsTruncated = true;
                }
            }

            Append('"');
            _used++;
            return true;
        }

        /// <summary>Appends a JSON string literal of a char, or of text known to need no cut (a type name).</summary>
        public bool AppendString(char value)
        {
            Span<char> one = stackalloc char[1];
            one[0] = value;
            return AppendString(one, int.MaxValue);
        }

        /// <summary>Takes back everything written after <paramref name="mark"/>, open containers included.</summary>
        public void RollBack(BuilderMark mark)
        {
            _length = mark.Length;
            _used = mark.Used;
            _open = mark.Open;
        }

        /// <summary>
        /// Keeps <paramref name="bytes"/> of the room aside for what comes after the next value (later arguments): the
        /// next value is cut as if the cap were that much lower. Returns what <see cref="EndShare"/> needs.
        /// </summary>
        public int BeginShare(int bytes)
        {
            var saved = _limit;
            _limit = Math.Max(_used + Reserved, _limit - Math.Max(0, bytes));
            return saved;
        }

        /// <summary>Gives back the room kept aside by <see cref="BeginShare"/>; a value cut by its share leaves the document open.</summary>
        public void EndShare(int saved)
        {
            var cutByShare = _limit < saved;
            _limit = saved;
            if (cutByShare)
            {
                IsTruncated = false;
            }
        }

        /// <summary>Cuts the document here (the work budget is spent): it takes nothing more.</summary>
        public void Cut() => IsTruncated = true;

        /// <summary>Appends <paramref name="value"/> escaped for a JSON string within <paramref name="budget"/> bytes; false when cut short.</summary>
        private bool AppendEscaped(ReadOnlySpan<char> value, int budget)
        {
            var start = 0;
            var used = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                int cost;
                if (c < 0x80)
                {
                    cost = c < 0x20 ? (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2 : 6) : c == '"' || c == '\\' ? 2 : 1;
                }
                else if (char.IsHighSurrogate(c))
                {
                    // A surrogate pair is one 4-byte character: it goes in whole or not at all. A lone surrogate is
                    // escaped (JSON text must be valid UTF-8).
                    cost = i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 4 : 6;
                }
                else if (char.IsLowSurrogate(c))
                {
                    cost = i > 0 && char.IsHighSurrogate(value[i - 1]) ? 0 : 6;
                }
                else
                {
                    cost = c < 0x800 ? 2 : 3;
                }

                if (used + cost > budget)
                {
                    Append(value.Slice(start, i - start));
                    _used += used;
                    return false;
                }

                used += cost;
                if (cost == 1 || (cost <= 4 && c >= 0x80))
                {
                    continue;
                }

                Append(value.Slice(start, i - start));
                AppendEscape(c);
                start = i + 1;
            }

            Append(value.Slice(start));
            _used += used;
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
    }

    /// <summary>A position in a <see cref="CappedJsonBuilder"/>: chars, budget used, open containers.</summary>
    internal readonly struct BuilderMark
    {
        public BuilderMark(int length, int used, int open)
        {
            Length = length;
            Used = used;
            Open = open;
        }

        public int Length { get; }

        public int Used { get; }

        public int Open { get; }
    }
}
