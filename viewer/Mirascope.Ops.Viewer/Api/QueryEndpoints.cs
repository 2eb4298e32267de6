using System;
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Mirascope.Ops.Viewer.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// The page's read API: <c>GET /api/traces</c> (the filtered list), <c>GET /api/traces/{traceId}</c> (every span of one
    /// trace), <c>GET /api/events</c> (server-sent events when spans arrive) and <c>GET /api/status</c>. Accounts mode: each
    /// about the caller's environment only (<see cref="Access.RequestScope.EnvironmentOf"/>), counts and event numbers included.
    /// </summary>
    internal static class QueryEndpoints
    {
        /// <summary>How often an event stream checks the database for spans written by other processes.</summary>
        private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

        private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

        /// <summary>Accounts mode: the least time between two reads of an environment's number by one event stream.</summary>
        private static readonly TimeSpan ScopedInterval = TimeSpan.FromMilliseconds(500);

        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet("/api/traces", ListAsync).Access(AccessRule.Read).TakesQuery(TraceListParameters.Names);
            routes.MapGet("/api/traces/{traceId}", TraceAsync).Access(AccessRule.Read);
            routes.MapGet("/api/events", EventsAsync).Access(AccessRule.Read);
            routes.MapGet("/api/status", StatusAsync).Access(AccessRule.Read);
        }

        private static Task ListAsync(HttpContext context)
        {
            TraceFilter filter;
            try
            {
                filter = TraceListParameters.Read(context.Request.Query);
            }
            catch (BadParameterException exception)
            {
                return MessageAsync(context, StatusCodes.Status400BadRequest, exception.Message);
            }

            filter.EnvironmentId = Access.RequestScope.EnvironmentOf(context);
            var store = context.RequestServices.GetRequiredService<TraceStore>();
            return JsonAsync(context, json => new TraceListQuery(store).Write(json, filter));
        }

        private static Task TraceAsync(HttpContext context, string traceId)
        {
            var id = HexId.Normalize(traceId, HexId.TraceIdLength, out var problem);
            if (id is null)
            {
                return MessageAsync(context, StatusCodes.Status400BadRequest, "the trace id " + problem);
            }

            var store = context.RequestServices.GetRequiredService<TraceStore>();
            var found = false;
            var environment = Access.RequestScope.EnvironmentOf(context);
            // Only the caller's environment's trace of this id (another environment's is, to this caller, not stored).
            var body = Build(json => found = new TraceDocument(store).Write(json, id, environment));
            return found
                ? WriteAsync(context, StatusCodes.Status200OK, body)
                : MessageAsync(context, StatusCodes.Status404NotFound, $"no trace {id} is stored (it may have been removed by retention)");
        }

        private static Task StatusAsync(HttpContext context)
        {
            var services = context.RequestServices;
            var store = services.GetRequiredService<TraceStore>();
            var options = services.GetRequiredService<ViewerOptions>();
            // Accounts mode: the caller's environment's figures only, not the store's (they would tell of other projects).
            var environment = Access.RequestScope.EnvironmentOf(context);
            var (traces, spans) = environment is null ? store.Count() : TraceEnvironments.Count(store, environment);
            var latestSequence = environment is null ? store.LatestSequence() : spans;
            return JsonAsync(context, json =>
            {
                json.WriteStartObject();
                json.WriteString("dataPath", store.Description);   // a file path, or a connection string without its password
                json.WriteNumber("traces", traces);
                json.WriteNumber("spans", spans);
                json.WriteNumber("latestSequence", latestSequence);
                json.WriteBoolean("apiKeyRequired", !string.IsNullOrEmpty(options.ApiKey));
                // The viewer's default limits; a project's own are at /api/retention.
                if (options.RetentionAge is { } age)
                {
                    json.WriteNumber("retentionDays", age.TotalDays);
                }
                else
                {
                    json.WriteNull("retentionDays");
                }

                if (options.RetentionBytes is { } bytes)
                {
                    json.WriteNumber("retentionBytes", bytes);
                }
                else
                {
                    json.WriteNull("retentionBytes");
                }

                json.WriteEndObject();
            });
        }

        /// <summary>
        /// Sends <c>event: spans</c> with the newest span sequence number whenever it changes: at once on connect, when this
        /// process stores spans, and within <see cref="PollInterval"/> when another process does. Accounts mode: the number of
        /// the caller's environment (<see cref="TraceEnvironments.Sequence(TraceStore, string)"/>), read only when the store's
        /// own number moved and at most every <see cref="ScopedInterval"/>, so a stream neither learns of nor pays for every
        /// other project's batch.
        /// </summary>
        private static async Task EventsAsync(HttpContext context)
        {
            var services = context.RequestServices;
            var store = services.GetRequiredService<TraceStore>();
            var environment = Access.RequestScope.EnvironmentOf(context);
            var notifier = services.GetRequiredService<SpanNotifier>();
            var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            var cancellation = both.Token;

            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            await response.WriteAsync("retry: 2000\n\n", cancellation).ConfigureAwait(false);

            long sent = -1;
            long storeLatest = -1;
            long latest = -1;
            var quietSince = DateTime.UtcNow;
            try
            {
                while (!cancellation.IsCancellationRequested)
                {
                    var newest = store.LatestSequence();
                    if (newest != storeLatest)
                    {
                        storeLatest = newest;
                        latest = environment is null ? newest : TraceEnvironments.Sequence(store, environment);
                    }

                    if (latest != sent)
                    {
                        sent = latest;
                        await response.WriteAsync($"event: spans\ndata: {{\"latestSequence\":{latest.ToString(CultureInfo.InvariantCulture)}}}\n\n", cancellation).ConfigureAwait(false);
                        await response.Body.FlushAsync(cancellation).ConfigureAwait(false);
                        quietSince = DateTime.UtcNow;
                    }
                    else if (DateTime.UtcNow - quietSince > KeepAliveInterval)
                    {
                        await response.WriteAsync(": keep-alive\n\n", cancellation).ConfigureAwait(false);
                        await response.Body.FlushAsync(cancellation).ConfigureAwait(false);
                        quietSince = DateTime.UtcNow;
                    }

                    await notifier.WaitAsync(PollInterval, cancellation).ConfigureAwait(false);
                    if (environment is not null)
                    {
                        await Task.Delay(ScopedInterval, cancellation).ConfigureAwait(false);   // batches arriving meanwhile: one read after it
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // the page went away or the viewer is stopping
            }
        }

        private static Task JsonAsync(HttpContext context, Action<Utf8JsonWriter> write) => WriteAsync(context, StatusCodes.Status200OK, Build(write));

        private static Task MessageAsync(HttpContext context, int status, string message) =>
            WriteAsync(context, status, Build(json =>
            {
                json.WriteStartObject();
                json.WriteString("message", message);
                json.WriteEndObject();
            }));

        private static byte[] Build(Action<Utf8JsonWriter> write)
        {
            var buffer = new ArrayBufferWriter<byte>(4096);
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                write(json);
            }

            return buffer.WrittenSpan.ToArray();
        }

        private static async Task WriteAsync(HttpContext context, int status, byte[] body)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
