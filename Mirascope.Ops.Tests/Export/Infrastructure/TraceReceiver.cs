using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Otlp.Protos.Collector;
using Xunit;

using Mirascope.Ops.Tests.Infrastructure;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>
    /// A real HTTP receiver on 127.0.0.1 (Kestrel, ephemeral port) speaking both contracts the exporters target:
    /// Mirascope Cloud's <c>POST /api/v2/traces</c> (bearer key checked, OTLP/JSON validated strictly, partialSuccess
    /// answered) and OTLP/HTTP protobuf <c>POST /v1/traces</c>. Answers can be scripted (status, Retry-After, delay);
    /// spans named in <see cref="RejectSpansNamed"/> are refused with a partial success.
    /// </summary>
    public sealed class TraceReceiver : IAsyncDisposable
    {
        public const string CloudPath = "/api/v2/traces";
        public const string OtlpPath = "/v1/traces";

        private readonly ConcurrentQueue<Reply> _script = new ConcurrentQueue<Reply>();
        private readonly ConcurrentQueue<ReceivedSpan> _spans = new ConcurrentQueue<ReceivedSpan>();
        private readonly ConcurrentQueue<ReceivedRequest> _requests = new ConcurrentQueue<ReceivedRequest>();
        private readonly ConcurrentQueue<string> _contractErrors = new ConcurrentQueue<string>();
        private LoopbackServer? _server;

        private TraceReceiver(string apiKey)
        {
            ApiKey = apiKey;
        }

        public string ApiKey { get; }

        public int Port { get; private set; }

        /// <summary>The Mirascope Cloud base URL to configure (<c>http://127.0.0.1:port/api/v2</c>).</summary>
        public Uri BaseUrl => new Uri($"http://127.0.0.1:{Port}/api/v2");

        /// <summary>The OTLP base endpoint to configure (<c>/v1/traces</c> is appended by the exporter).</summary>
        public Uri OtlpEndpoint => new Uri($"http://127.0.0.1:{Port}");

        /// <summary>When false, only ids and names are decoded and the JSON contract is not checked (the load test only needs ids).</summary>
        public bool KeepAttributes { get; set; } = true;

        /// <summary>Delay before every answer (a slow backend).</summary>
        public TimeSpan Delay { get; set; }

        public string[] RejectSpansNamed { get; set; } = Array.Empty<string>();

        /// <summary>Requests with more spans than this are answered 413 (payload too large), as a size-limited receiver does.</summary>
        public int? MaxSpansPerRequest { get; set; }

        /// <summary>A request holding a span of one of these names is answered 413, whatever its size.</summary>
        public string[] TooLargeSpansNamed { get; set; } = Array.Empty<string>();

        /// <summary>Spans accepted (answered 2xx and not rejected).</summary>
        public IReadOnlyList<ReceivedSpan> Spans => _spans.ToArray();

        public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

        /// <summary>Violations of the Cloud JSON contract seen in any request; tests assert none.</summary>
        public IReadOnlyList<string> ContractErrors => _contractErrors.ToArray();

        public static string NewApiKey() => "mk_test_" + Guid.NewGuid().ToString("N");

        public static async Task<TraceReceiver> StartAsync(string? apiKey = null, int port = 0)
        {
            var receiver = new TraceReceiver(apiKey ?? NewApiKey());
            await receiver.StartOnAsync(port);
            return receiver;
        }

        /// <summary>A loopback port with nothing listening (connections are refused) until a receiver starts on it.</summary>
        public static int UnusedPort()
        {
            var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        public void Script(params Reply[] replies)
        {
            foreach (var reply in replies)
            {
                _script.Enqueue(reply);
            }
        }

        public IReadOnlyList<ReceivedSpan> SpansOf(string traceId) => Spans.Where(s => s.TraceId == traceId).ToList();

        public IReadOnlyList<ReceivedRequest> RequestsOf(string traceId) => Requests.Where(r => r.TraceIds.Contains(traceId)).ToList();

        /// <summary>Polls until <paramref name="count"/> spans of the trace arrived (or the timeout passes) and returns them.</summary>
        public async Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(string traceId, int count, TimeSpan? timeout = null)
        {
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
            while (true)
            {
                var spans = SpansOf(traceId);
                if (spans.Count >= count || DateTime.UtcNow > deadline)
                {
                    return spans;
                }

                await Task.Delay(10);
            }
        }

        public async Task StopAsync()
        {
            var server = _server;
            _server = null;
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        /// <summary>Starts again on the same port (after <see cref="StopAsync"/>), keeping what was received.</summary>
        public Task RestartAsync() => StartOnAsync(Port);

        public async ValueTask DisposeAsync() => await StopAsync();

        private async Task StartOnAsync(int port)
        {
            var server = await LoopbackServer.StartAsync(
                app =>
                {
                    app.MapPost(CloudPath, (Func<HttpContext, Task>)HandleCloudAsync);
                    app.MapPost(OtlpPath, (Func<HttpContext, Task>)HandleOtlpAsync);
                },
                new LoopbackServerOptions { Port = port, MaxRequestBodySize = 64 * 1024 * 1024 });
            Port = server.Port;
            _server = server;
        }

        private async Task HandleCloudAsync(HttpContext context)
        {
            var body = await ReadBodyAsync(context);
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization != "Bearer " + ApiKey)
            {
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay);   // a remote receiver: the refusal takes a while too
                }

                Record(context, 401, Array.Empty<ReceivedSpan>());
                await Answer(context, new Reply { Status = 401, Body = "{\"error\":\"Invalid API key\"}" }, "application/json");
                return;
            }

            var errors = new List<string>();
            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            {
                errors.Add($"Content-Type is '{context.Request.ContentType}', not application/json");
            }

            List<ReceivedSpan> spans;
            try
            {
                using var document = JsonDocument.Parse(body);
                spans = KeepAttributes ? CloudContract.Decode(document.RootElement, errors) : CloudContract.DecodeIdsOnly(document.RootElement);
            }
            catch (JsonException exception)
            {
                errors.Add("body is not JSON: " + exception.Message);
                spans = new List<ReceivedSpan>();
            }

            if (errors.Count > 0)
            {
                foreach (var error in errors.Distinct())
                {
                    _contractErrors.Enqueue(error);
                }

                Record(context, 400, spans);
                await Answer(context, new Reply { Status = 400, Body = JsonSerializer.Serialize(new { error = string.Join("; ", errors.Take(5)) }) }, "application/json");
                return;
            }

            await Accept(context, spans, "application/json", (rejected, message) =>
                System.Text.Encoding.UTF8.GetBytes(rejected == 0
                    ? "{\"partialSuccess\":{}}"
                    : JsonSerializer.Serialize(new { partialSuccess = new { rejectedSpans = rejected.ToString(), errorMessage = message } })));
        }

        private async Task HandleOtlpAsync(HttpContext context)
        {
            var body = await ReadBodyAsync(context);
            List<ReceivedSpan> spans;
            try
            {
                spans = OtlpProtobufDecoder.Decode(body, KeepAttributes);
            }
            catch (InvalidProtocolBufferException)
            {
                Record(context, 400, Array.Empty<ReceivedSpan>());
                await Answer(context, new Reply { Status = 400 }, "application/x-protobuf");
                return;
            }

            await Accept(context, spans, "application/x-protobuf", (rejected, message) =>
            {
                var response = new ExportTraceServiceResponse();
                if (rejected > 0)
                {
                    response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = rejected, ErrorMessage = message };
                }

                return response.ToByteArray();
            });
        }

        private async Task Accept(HttpContext context, List<ReceivedSpan> spans, string contentType, Func<long, string, byte[]> success)
        {
            if ((MaxSpansPerRequest is { } max && spans.Count > max) || spans.Any(s => TooLargeSpansNamed.Contains(s.Name)))
            {
                Record(context, 413, spans);
                await Answer(context, new Reply { Status = 413, Body = "payload too large" }, "text/plain");
                return;
            }

            var reply = _script.TryDequeue(out var scripted) ? scripted : new Reply();
            var delay = reply.Delay > TimeSpan.Zero ? reply.Delay : Delay;
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up: nothing was accepted.
                    Record(context, 499, spans);
                    return;
                }
            }

            if (reply.Status < 200 || reply.Status >= 300)
            {
                Record(context, reply.Status, spans);
                await Answer(context, reply, contentType);
                return;
            }

            var rejected = spans.Where(s => RejectSpansNamed.Contains(s.Name)).ToList();
            foreach (var span in spans.Except(rejected))
            {
                _spans.Enqueue(span);
            }

            Record(context, reply.Status, spans);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = contentType;
            var payload = success(rejected.Count, $"{rejected.Count} spans were rejected due to errors");
            await context.Response.Body.WriteAsync(payload);
        }

        private static async Task Answer(HttpContext context, Reply reply, string contentType)
        {
            context.Response.StatusCode = reply.Status;
            if (reply.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = reply.RetryAfter;
            }

            if (reply.Body is not null)
            {
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(reply.Body);
            }
        }

        private void Record(HttpContext context, int status, IReadOnlyCollection<ReceivedSpan> spans)
        {
            _requests.Enqueue(new ReceivedRequest
            {
                Path = context.Request.Path,
                Authorization = context.Request.Headers.Authorization.ToString(),
                ContentType = context.Request.ContentType,
                Status = status,
                SpanCount = spans.Count,
                ReceivedUtc = DateTime.UtcNow,
                TraceIds = spans.Select(s => s.TraceId).Distinct().ToArray(),
            });
        }

        private static async Task<byte[]> ReadBodyAsync(HttpContext context)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            return buffer.ToArray();
        }
    }
}
