using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Mirascope.Ops.Viewer.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Otlp.Protos.Collector;
using Mirascope.Ops.Viewer.Storage;
using RpcStatus = Mirascope.Ops.Otlp.Protos.Rpc.Status;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>
    /// <c>POST /api/v2/traces</c> (the Mirascope Cloud contract: OTLP/JSON) and <c>POST /v1/traces</c> (OTLP/HTTP,
    /// protobuf or JSON). Answers 200 with <c>partialSuccess</c>, 400 for a malformed body (401 for a missing or wrong key
    /// comes before, from the viewer's one access rule), 413 for a body over the limit, 415 for an unknown content type, 429 when
    /// ingest is at its limit (<see cref="IngestGate"/>), 503 when the database stays locked or the viewer is stopping (the
    /// exporters retry 429 and 503, waiting as <c>Retry-After</c> asks).
    /// </summary>
    internal static class IngestEndpoints
    {
        public const string CloudPath = "/api/v2/traces";
        public const string OtlpPath = "/v1/traces";

        private const string JsonType = "application/json";
        private const string ProtobufType = "application/x-protobuf";

        // google.rpc.Code values, which OTLP/HTTP puts in its error bodies.
        private const int InvalidArgument = 3;
        private const int ResourceExhausted = 8;
        private const int Unavailable = 14;

        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapPost(CloudPath, context => HandleAsync(context, defaultProtobuf: false)).Access(AccessRule.Write);
            routes.MapPost(OtlpPath, context => HandleAsync(context, defaultProtobuf: true)).Access(AccessRule.Write);
        }

        private static async Task HandleAsync(HttpContext context, bool defaultProtobuf)
        {
            var services = context.RequestServices;
            var options = services.GetRequiredService<ViewerOptions>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Mirascope.Ops.Viewer.Ingest");
            var request = context.Request;

            var protobuf = defaultProtobuf;   // the answer's format when the request's cannot be told
            var mediaType = MediaType(request.ContentType);
            if (mediaType is "application/json")
            {
                protobuf = false;
            }
            else if (mediaType is "application/x-protobuf" or "application/protobuf")
            {
                protobuf = true;
            }
            else
            {
                // Also refused when missing: a web page can POST a body without a Content-Type to loopback, but not with these.
                var what = mediaType.Length == 0 ? "Content-Type is missing" : $"Content-Type \"{request.ContentType}\" is not supported";
                await ErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, InvalidArgument, protobuf,
                    $"{what}; send {JsonType} (OTLP/JSON) or {ProtobufType} (OTLP protobuf)").ConfigureAwait(false);
                return;
            }

            // Before the body is read: a request that must wait or is refused costs no memory.
            using var turn = await services.GetRequiredService<IngestGate>().EnterAsync(context.RequestAborted).ConfigureAwait(false);
            if (turn.Outcome != IngestGate.Outcome.Admitted)
            {
                await RefuseAsync(context, turn.Outcome, protobuf, logger).ConfigureAwait(false);
                return;
            }

            IngestBatch batch;
            try
            {
                var body = await BodyReader.ReadAsync(request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
                batch = protobuf ? OtlpProtobufReader.Read(body) : OtlpJsonReader.Read(body);
            }
            catch (BodyTooLargeException exception)
            {
                logger.LogWarning("Refused a request to {Path}: {Reason}", request.Path, exception.Message);
                await ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, ResourceExhausted, protobuf, exception.Message).ConfigureAwait(false);
                return;
            }
            catch (MalformedBodyException exception)
            {
                logger.LogWarning("Refused a malformed request to {Path}: {Reason}", request.Path, exception.Message);
                await ErrorAsync(context, StatusCodes.Status400BadRequest, InvalidArgument, protobuf, exception.Message).ConfigureAwait(false);
                return;
            }

            try
            {
                services.GetRequiredService<TraceStore>().Store(batch.Spans, DateTimeOffset.UtcNow, Access.RequestScope.EnvironmentOf(context) ?? TraceEnvironments.Implicit);
            }
            catch (Exception exception) when (StoreEngines.IsBusy(exception))   // SQLite busy/locked, a PostgreSQL lock wait or lost connection
            {
                logger.LogWarning("The span database stayed locked; {Count} spans were not stored and the sender may retry.", batch.Spans.Count);
                context.Response.Headers.RetryAfter = "1";
                await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, Unavailable, protobuf,
                    "the span database is busy; retry shortly").ConfigureAwait(false);
                return;
            }

            services.GetRequiredService<SpanNotifier>().Notify();
            var rejection = batch.RejectionMessage();
            if (rejection is not null)
            {
                logger.LogWarning("Stored {Stored} spans; {Message}", batch.Spans.Count, rejection);
            }
            else
            {
                logger.LogDebug("Stored {Stored} spans from {Path}.", batch.Spans.Count, request.Path);
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            if (protobuf)
            {
                var answer = new ExportTraceServiceResponse();
                if (rejection is not null)
                {
                    answer.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = batch.Rejections.Count, ErrorMessage = rejection };
                }

                context.Response.ContentType = ProtobufType;
                await context.Response.Body.WriteAsync(answer.ToByteArray()).ConfigureAwait(false);
                return;
            }

            var json = JsonText.Build(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartObject("partialSuccess");
                if (rejection is not null)
                {
                    // ProtoJSON writes int64 as a string.
                    writer.WriteString("rejectedSpans", batch.Rejections.Count.ToString(CultureInfo.InvariantCulture));
                    writer.WriteString("errorMessage", rejection);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            });
            context.Response.ContentType = JsonType;
            await context.Response.WriteAsync(json).ConfigureAwait(false);
        }

        /// <summary>
        /// Backpressure, as OTLP/HTTP defines throttling: 429 (busy) or 503 (stopping) with <c>Retry-After</c> and a
        /// google.rpc.Status body; both codes are retryable for OTLP senders and for our exporter, which wait as asked.
        /// </summary>
        private static Task RefuseAsync(HttpContext context, IngestGate.Outcome outcome, bool protobuf, ILogger logger)
        {
            if (outcome == IngestGate.Outcome.Gone)
            {
                return Task.CompletedTask;
            }

            context.Response.Headers.RetryAfter = IngestGate.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            if (outcome == IngestGate.Outcome.Stopping)
            {
                return ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, Unavailable, protobuf,
                    "the viewer is stopping; retry shortly");
            }

            logger.LogDebug("Refused a request to {Path}: ingest is at its limit.", context.Request.Path);
            return ErrorAsync(context, StatusCodes.Status429TooManyRequests, ResourceExhausted, protobuf,
                $"the viewer is storing as many requests as it takes at once and has no room to queue this one; retry after {IngestGate.RetryAfterSeconds} s");
        }

        private static string MediaType(string? contentType)
        {
            if (string.IsNullOrEmpty(contentType))
            {
                return string.Empty;
            }

            var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
            return (semicolon >= 0 ? contentType.Substring(0, semicolon) : contentType).Trim().ToLowerInvariant();
        }

        /// <summary>An OTLP/HTTP error body: google.rpc.Status, as JSON or protobuf like the request.</summary>
        private static async Task ErrorAsync(HttpContext context, int status, int code, bool protobuf, string message)
        {
            context.Response.StatusCode = status;
            if (protobuf)
            {
                context.Response.ContentType = ProtobufType;
                await context.Response.Body.WriteAsync(new RpcStatus { Code = code, Message = message }.ToByteArray()).ConfigureAwait(false);
                return;
            }

            context.Response.ContentType = JsonType;
            await context.Response.WriteAsync(JsonText.Build(json =>
            {
                json.WriteStartObject();
                json.WriteNumber("code", code);
                json.WriteString("message", message);
                json.WriteEndObject();
            })).ConfigureAwait(false);
        }
    }
}
