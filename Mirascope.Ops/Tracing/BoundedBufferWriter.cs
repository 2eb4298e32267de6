using System;
using System.Buffers;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// An <see cref="IBufferWriter{T}"/> that refuses to grow past its limit, which stops the serializer early. A small
    /// buffer is kept for the common small value; larger ones are rented from <see cref="ArrayPool{T}.Shared"/> and given
    /// back by <see cref="Release"/>, so recording a value near the cap neither allocates nor keeps its buffer.
    /// </summary>
    internal sealed class BoundedBufferWriter : IBufferWriter<byte>
    {
        /// <summary>
        /// How far past the limit the writer may ask for room, as a multiple of the limit; a larger request stops
        /// serialization. The writer asks for the worst case of a token (6 bytes per escaped character) and grows by
        /// 4 KB at a time, though it writes far less: granting up to that worst case for a token the size of the
        /// cap lets the value be cut at the limit itself rather than kilobytes before it, or dropped whole. Only a
        /// string longer than the cap is still refused whole (it would take six times its length).
        /// </summary>
        private const int RequestFactor = 6;

        private const int Slack = 4096 + 256;

        /// <summary>Buffers up to this size stay with the writer between values; larger ones go back to the pool.</summary>
        private const int KeptCapacity = 4096;

        private readonly byte[] _initial = new byte[256];
        private byte[] _buffer;
        private int _limit;

        public BoundedBufferWriter()
        {
            _buffer = _initial;
        }

        public int Written { get; private set; }

        /// <summary>The bytes written so far (valid JSON when serialization finished).</summary>
        public ArraySegment<byte> WrittenBytes => new ArraySegment<byte>(_buffer, 0, Written);

        /// <summary>
        /// The bytes written so far without a multi-byte character that the limit cut in two, so decoding never
        /// produces a replacement character at the cut.
        /// </summary>
        public ArraySegment<byte> WholeCharacters
        {
            get
            {
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

                return new ArraySegment<byte>(_buffer, 0, Math.Max(0, length));
            }
        }

        /// <summary>Empties the buffer for a new value, keeping its array.</summary>
        public void Reset(int limit)
        {
            _limit = limit;
            Written = 0;
        }

        /// <summary>Gives a large buffer back to the pool; the writer keeps only a small one between values.</summary>
        public void Release()
        {
            Written = 0;
            if (_buffer.Length > KeptCapacity)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = _initial;
            }
        }

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

        private void Ensure(int sizeHint)
        {
            var needed = Written + Math.Max(sizeHint, 1);

            // The writer asks for the worst case of the next token at once (a 10 MB string asks for ~60 MB): refuse
            // what could never be cut near the limit, which stops serialization without copying the value. Decided on the limit
            // alone, not on the room the current array happens to have, so where a value is cut does not depend on
            // what the thread recorded before.
            // Scaled by the whole cap, not only the room left: a later argument with little room left still gets its
            // long string property cut at the cap rather than dropped.
            var ceiling = ((long)Math.Max(_limit, RecordingLimits.MaxAttributeLength) * RequestFactor) + Slack;
            if (needed > ceiling)
            {
                throw new FullException();
            }

            if (needed <= _buffer.Length)
            {
                return;
            }

            var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(_buffer.Length * 2L, needed), ceiling));
            Buffer.BlockCopy(_buffer, 0, next, 0, Written);
            if (_buffer != _initial)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = next;
        }

        /// <summary>
        /// The buffer is full: thrown through System.Text.Json (which has no other way to stop a synchronous
        /// serialization) and caught by <see cref="CappedJsonBuilder"/>. Not a shared instance: the runtime writes
        /// into an exception while throwing it, and one thrown on two threads at once can crash the process
        /// (dotnet/runtime#45929).
        /// </summary>
        public sealed class FullException : Exception
        {
        }
    }
}
