using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using Mirascope.Ops.Tests.Infrastructure;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>
    /// A loopback Kestrel receiver for Mirascope Cloud's functions and annotations endpoints, as the Cloud answered
    /// them: <c>GET /functions/hash/{hash}</c> (404 until created), <c>POST /functions</c> (409 for a known hash),
    /// <c>POST /annotations</c> (404 until the span came in through <c>POST /traces</c>), and <c>POST /traces</c>
    /// (span ids only). Every request is recorded with its body and headers; a wrong key gets 401.
    /// </summary>
    public sealed class CloudApiReceiver : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, string> _functions = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, DateTime> _spans = new ConcurrentDictionary<string, DateTime>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<Request> _requests = new ConcurrentQueue<Request>();
        private LoopbackServer? _server;

        private CloudApiReceiver(string apiKey)
        {
            ApiKey = apiKey;
        }

        public string ApiKey { get; }

        public int Port { get; private set; }

        public Uri BaseUrl => new Uri($"http://127.0.0.1:{Port}/api/v2");

        /// <summary>When set, every answer to the functions and annotations endpoints is this status with this body (a broken backend).</summary>
        public (int Status, string Body)? FailWith { get; set; }

        public IReadOnlyList<Request> Requests => _requests.ToArray();

        public IReadOnlyList<Request> RequestsTo(string method, string pathStart) =>
            Requests.Where(r => r.Method == method && r.Path.StartsWith("/api/v2/" + pathStart, StringComparison.Ordinal)).ToList();

        /// <summary>When the receiver first got span <paramref name="spanId"/> of <paramref name="traceId"/>, if it did.</summary>
        public DateTime? SpanReceivedUtc(string traceId, string spanId) => _spans.TryGetValue(traceId + "/" + spanId, out var at) ? at : null;

        /// <summary>Makes a function with <paramref name="hash"/> known, as if an earlier process had created it.</summary>
        public void Seed(string hash) => _functions[hash] = "{\"hash\":\"" + hash + "\"}";

        public static async Task<CloudApiReceiver> StartAsync()
        {
            var receiver = new CloudApiReceiver(TraceReceiver.NewApiKey());
            var server = await LoopbackServer.StartAsync(app => app.Run(receiver.HandleAsync));
            receiver.Port = server.Port;
            receiver._server = server;
            return receiver;
        }

        /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; returns whether it held.</summary>
        public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
        {
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) return false;
                await Task.Delay(10);
            }

            return true;
        }

        public async ValueTask DisposeAsync()
        {
            if (_server is { } server)
            {
                _server = null;
                await server.DisposeAsync();
            }
        }

        private async Task HandleAsync(HttpContext context)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = Encoding.UTF8.GetString(buffer.ToArray());
            var path = context.Request.Path.Value ?? "";
            var method = context.Request.Method;
            var (status, answer) = Answer(context, method, path, body);
            _requests.Enqueue(new Request(method, path, context.Request.Headers.Authorization.ToString(), context.Request.ContentType, body, status, DateTime.UtcNow,
                context.Request.Headers.Select(h => h.Key + ": " + h.Value).ToArray()));
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer);
        }

        private (int Status, string Body) Answer(HttpContext context, string method, string path, string body)
        {
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
            {
                return (401, "{\"_tag\":\"UnauthorizedError\",\"message\":\"Invalid API key\"}");
            }

            if (method == "POST" && path == "/api/v2/traces")
            {
                using var document = JsonDocument.Parse(body);
                foreach (var span in CloudContract.DecodeIdsOnly(document.RootElement))
                {
                    _spans.TryAdd(span.TraceId + "/" + span.SpanId, DateTime.UtcNow);
                }

                return (200, "{\"partialSuccess\":{}}");
            }

            if (FailWith is { } failure)
            {
                return failure;
            }

            const string byHash = "/api/v2/functions/hash/";
            if (method == "GET" && path.StartsWith(byHash, StringComparison.Ordinal))
            {
                return _functions.TryGetValue(path.Substring(byHash.Length), out var function)
                    ? (200, function)
                    : (404, "{\"tag\":\"NotFoundError\",\"message\":\"Function with hash not found\"}");
            }

            if (method == "POST" && path == "/api/v2/functions")
            {
                using var document = JsonDocument.Parse(body);
                var hash = document.RootElement.GetProperty("hash").GetString()!;
                return _functions.TryAdd(hash, body)
                    ? (200, body)
                    : (409, "{\"tag\":\"AlreadyExistsError\",\"message\":\"Function already exists\"}");
            }

            if (method == "POST" && path == "/api/v2/annotations")
            {
                using var document = JsonDocument.Parse(body);
                var key = document.RootElement.GetProperty("otelTraceId").GetString() + "/" + document.RootElement.GetProperty("otelSpanId").GetString();
                return _spans.ContainsKey(key)
                    ? (200, body)
                    : (404, "{\"tag\":\"NotFoundError\",\"message\":\"Span not found\"}");
            }

            return (404, "{\"_tag\":\"NotFoundError\",\"message\":\"Route not found\"}");
        }

        /// <summary>One request as received, with what the receiver answered.</summary>
        public sealed record Request(string Method, string Path, string Authorization, string? ContentType, string Body, int Status, DateTime ReceivedUtc, string[] Headers);
    }
}
