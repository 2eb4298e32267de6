using System;
using System.Buffers;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>Reads a request body into memory, never more than the limit (checked again after gzip is undone).</summary>
    internal static class BodyReader
    {
        public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellation)
        {
            if (request.ContentLength is { } declared && declared > maxBytes)
            {
                throw new BodyTooLargeException(TooLarge($"the body is {declared} bytes", maxBytes));
            }

            var encoding = request.Headers.ContentEncoding.ToString().Trim();
            var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
            if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                throw new MalformedBodyException($"Content-Encoding \"{encoding}\" is not supported; send the body uncompressed or gzip-compressed");
            }

            var source = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : request.Body;
            var buffer = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int read;
                while ((read = await source.ReadAsync(chunk.AsMemory(), cancellation).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > maxBytes)
                    {
                        throw new BodyTooLargeException(TooLarge(gzip ? "the body, once decompressed, is larger than that" : "the body is larger than that", maxBytes));
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
            catch (InvalidDataException exception) when (gzip)
            {
                throw new MalformedBodyException("the body is not valid gzip data: " + exception.Message, exception);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
                if (gzip)
                {
                    await source.DisposeAsync().ConfigureAwait(false);
                }
            }

            return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        }

        private static string TooLarge(string what, long maxBytes) =>
            $"the viewer accepts request bodies of at most {maxBytes} bytes and {what}; send smaller batches or start the viewer with a larger --max-body-mb";
    }
}
