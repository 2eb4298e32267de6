using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using Mirascope.Ops.Tests.Infrastructure;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>
    /// An OTLP/gRPC trace receiver on 127.0.0.1: Kestrel speaking cleartext HTTP/2, the gRPC wire format (a 5-byte
    /// length prefix around the protobuf message, <c>grpc-status</c> in the trailers) for
    /// <c>opentelemetry.proto.collector.trace.v1.TraceService/Export</c>, decoded with this project's messages.
    /// </summary>
    public sealed class OtlpGrpcReceiver : IAsyncDisposable
    {
        public const string ExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

        private readonly ConcurrentQueue<ReceivedSpan> _spans = new ConcurrentQueue<ReceivedSpan>();
        private LoopbackServer? _server;

        private OtlpGrpcReceiver()
        {
        }

        public Uri Endpoint { get; private set; } = null!;

        public int Requests { get; private set; }

        public static async Task<OtlpGrpcReceiver> StartAsync()
        {
            var receiver = new OtlpGrpcReceiver();
            receiver._server = await LoopbackServer.StartAsync(
                app => app.MapPost(ExportPath, receiver.Export),
                new LoopbackServerOptions { Protocols = HttpProtocols.Http2 });
            receiver.Endpoint = receiver._server.BaseAddress;
            return receiver;
        }

        public IReadOnlyList<ReceivedSpan> SpansOf(string traceId) => _spans.Where(s => s.TraceId == traceId).ToList();

        public async Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(string traceId, int count, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (SpansOf(traceId).Count < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            return SpansOf(traceId);
        }

        private async Task Export(HttpContext context)
        {
            Requests++;
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var framed = buffer.ToArray();
            var length = BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(1, 4));
            foreach (var span in OtlpProtobufDecoder.Decode(framed.AsSpan(5, length).ToArray()))
            {
                _spans.Enqueue(span);
            }

            context.Response.ContentType = "application/grpc";
            // An empty ExportTraceServiceResponse: not compressed, zero bytes long.
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
        }

        public async ValueTask DisposeAsync()
        {
            if (_server is { } server)
            {
                await server.DisposeAsync();
            }
        }
    }
}
