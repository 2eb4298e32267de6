using System;
using System.Buffers;
using System.IO;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// An <see cref="IBufferWriter{T}"/> that hands out one pooled chunk and writes it to a stream whenever the next
    /// request does not fit. A <see cref="System.Text.Json.Utf8JsonWriter"/> given a stream instead keeps the whole
    /// document in an array it grows by doubling (about twice the body allocated per batch, on the large-object heap
    /// once a batch passes 85 KB); over this writer a batch costs no buffer allocation at all.
    /// </summary>
    internal sealed class StreamChunkWriter : IBufferWriter<byte>, IDisposable
    {
        private const int ChunkSize = 16 * 1024;

        private readonly Stream _destination;
        private byte[] _chunk;
        private int _written;

        public StreamChunkWriter(Stream destination)
        {
            _destination = destination;
            _chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        }

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Reserve(sizeHint);
            return _chunk.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Reserve(sizeHint);
            return _chunk.AsSpan(_written);
        }

        /// <summary>Writes what the chunk holds to the stream (the caller has advanced past everything it wrote).</summary>
        public void Flush()
        {
            if (_written > 0)
            {
                _destination.Write(_chunk, 0, _written);
                _written = 0;
            }
        }

        public void Dispose()
        {
            var chunk = _chunk;
            _chunk = Array.Empty<byte>();
            _written = 0;
            if (chunk.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        private void Reserve(int sizeHint)
        {
            sizeHint = Math.Max(sizeHint, 1);
            if (_chunk.Length - _written >= sizeHint)
            {
                return;
            }

            Flush();
            if (_chunk.Length < sizeHint)
            {
                // One value larger than a chunk (a long attribute): a larger pooled chunk, returned as usual.
                var small = _chunk;
                _chunk = ArrayPool<byte>.Shared.Rent(sizeHint);
                if (small.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(small);
                }
            }
        }
    }
}
