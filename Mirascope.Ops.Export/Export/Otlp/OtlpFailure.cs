using System;
using System.Net.Http;

namespace Mirascope.Ops.Export.Otlp
{
    /// <summary>What to do about a failed OTLP export, and why in words: from the <see cref="OtlpAttempt"/> the wire gave.</summary>
    internal readonly struct OtlpFailure
    {
        private OtlpFailure(string reason, bool retryable, bool tooLarge = false, string? configurationKind = null, string? configurationError = null)
        {
            ConfigurationKind = configurationKind;
            Reason = reason;
            Retryable = retryable;
            TooLarge = tooLarge;
            ConfigurationError = configurationError;
        }

        public string Reason { get; }

        /// <summary>Worth trying again (no answer, 429, 502–504, gRPC UNAVAILABLE and its kin).</summary>
        public bool Retryable { get; }

        /// <summary>The receiver refused the request's size (HTTP 413): the batch is split.</summary>
        public bool TooLarge { get; }

        /// <summary>
        /// Set when the cause is the configuration, not the moment (a rejected key, no OTLP receiver at the endpoint, the
        /// wrong protocol): the one line that says what to change.
        /// </summary>
        public string? ConfigurationError { get; }

        /// <summary>Which configuration error (<c>credentials</c>, <c>endpoint</c>, <c>protocol</c>): each is told once per destination.</summary>
        public string? ConfigurationKind { get; }

        public static OtlpFailure Classify(OtlpAttempt attempt, OtlpTarget target, TimeSpan timeout, bool answeredBefore)
        {
            if (!attempt.Answered && attempt.Error is null)
            {
                return new OtlpFailure("the OTLP exporter failed before sending (see the OpenTelemetry-Exporter-OpenTelemetryProtocol EventSource)", retryable: false);
            }

            if (attempt.Error is { } error)
            {
                if (attempt.TimedOut)
                {
                    var ms = (long)timeout.TotalMilliseconds;
                    return new OtlpFailure(
                        answeredBefore
                            ? $"no answer within {ms} ms (ExportTimeout); the receiver answered earlier requests, so it is slow or overloaded, not gone"
                            : $"no answer within {ms} ms (ExportTimeout), not a byte: the receiver has never answered (a black hole: is something else listening on {target.Endpoint.Authority}?)",
                        retryable: true);
                }

                var message = Innermost(error).Message;
                if (LooksLikeProtocolMismatch(error, target))
                {
                    return Mismatch(target, "the connection failed: " + message);
                }

                return new OtlpFailure("connection failed: " + message, retryable: true);
            }

            var status = attempt.HttpStatus!.Value;
            var answer = $"HTTP {status} {attempt.ReasonPhrase}".TrimEnd() + (attempt.Body is { Length: > 0 } body ? ": " + body : "");
            if (target.IsGrpc)
            {
                if (attempt.ContentType is not { } type || !type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
                {
                    return Mismatch(target, $"it answered {answer} ({attempt.ContentType ?? "no content type"}), not gRPC");
                }

                return Grpc(attempt, target);
            }

            if (attempt.ContentType is { } contentType && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
            {
                return Mismatch(target, $"it answered {answer} in gRPC ({contentType})");
            }

            if ((status == 400 || status == 505) && (attempt.Body ?? "").IndexOf("HTTP/2", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                // An HTTP/2-only port (gRPC) answers an HTTP/1.1 request so ("An HTTP/1.x request was sent to an HTTP/2 only endpoint").
                return Mismatch(target, $"it answered {answer}");
            }

            switch (status)
            {
                case 413:
                    return new OtlpFailure(answer + " — the request was too large for the receiver", retryable: false, tooLarge: true);
                case 401:
                case 403:
                    return Configuration("credentials", answer + " — the receiver refused the credentials (check OTEL_EXPORTER_OTLP_HEADERS)", target);
                case 404:
                    return Configuration("endpoint", answer + $" — no OTLP receiver at {target.Endpoint} (check OTEL_EXPORTER_OTLP_ENDPOINT: a base URL, to which /v1/traces is appended; OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as it is)", target);
                case 429:
                case 502:
                case 503:
                case 504:
                    return new OtlpFailure(answer, retryable: true);
                default:
                    return new OtlpFailure(answer + " (not retried)", retryable: false);
            }
        }

        private static OtlpFailure Grpc(OtlpAttempt attempt, OtlpTarget target)
        {
            var code = attempt.GrpcStatus ?? -1;
            var text = $"gRPC status {code}{(attempt.GrpcMessage is { Length: > 0 } m ? ": " + m : "")}";
            switch (code)
            {
                case 16:   // UNAUTHENTICATED
                case 7:    // PERMISSION_DENIED
                    return Configuration("credentials", text + " — the receiver refused the credentials (check OTEL_EXPORTER_OTLP_HEADERS)", target);
                case 12:   // UNIMPLEMENTED: no OTLP trace service at this address
                    return Configuration("endpoint", text + $" — no OTLP trace service at {target.Endpoint} (check OTEL_EXPORTER_OTLP_ENDPOINT)", target);
                case 1:    // CANCELLED
                case 4:    // DEADLINE_EXCEEDED
                case 8:    // RESOURCE_EXHAUSTED
                case 10:   // ABORTED
                case 11:   // OUT_OF_RANGE
                case 14:   // UNAVAILABLE
                case 15:   // DATA_LOSS
                    return new OtlpFailure(text, retryable: true);
                default:
                    return new OtlpFailure(text + " (not retried)", retryable: false);
            }
        }

        private static OtlpFailure Configuration(string kind, string reason, OtlpTarget target) =>
            new OtlpFailure(reason + " (not retried)", retryable: false, configurationKind: kind, configurationError: $"OTLP export to {target.Endpoint} ({target.ProtocolName}) is refused: {reason}");

        private static OtlpFailure Mismatch(OtlpTarget target, string what)
        {
            var fix = target.IsGrpc
                ? $"the endpoint does not speak gRPC: set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf (the default), or point OTEL_EXPORTER_OTLP_ENDPOINT at the receiver's gRPC port (usually 4317)"
                : $"the endpoint speaks gRPC, not OTLP/HTTP: set OTEL_EXPORTER_OTLP_PROTOCOL=grpc, or point OTEL_EXPORTER_OTLP_ENDPOINT at the receiver's OTLP/HTTP port (usually 4318)";
            var reason = $"{what} — {fix}";
            return new OtlpFailure(reason + " (not retried)", retryable: false, configurationKind: "protocol", configurationError: $"OTLP export to {target.Endpoint} uses {target.ProtocolName} but {reason}");
        }

        /// <summary>
        /// gRPC needs HTTP/2 with prior knowledge; an HTTP/1.1-only server answers its preface with HTTP/1.1 text or
        /// closes, which the client reports as an HTTP/2 protocol error. OTLP/HTTP sends HTTP/1.1; a gRPC (HTTP/2-only)
        /// port answers with HTTP/2 frames or closes, which the client reports as an invalid or prematurely ended answer.
        /// </summary>
        private static bool LooksLikeProtocolMismatch(Exception error, OtlpTarget target)
        {
            for (var e = error; e is not null; e = e.InnerException)
            {
#if NET8_0_OR_GREATER
                if (e is HttpRequestException request)
                {
                    switch (request.HttpRequestError)
                    {
                        case HttpRequestError.HttpProtocolError:
                        case HttpRequestError.VersionNegotiationError:
                            return true;
                        case HttpRequestError.InvalidResponse:
                        case HttpRequestError.ResponseEnded:
                            return true;
                    }
                }
#endif
                var text = e.Message;
                if (text.IndexOf("HTTP/2", StringComparison.OrdinalIgnoreCase) >= 0
                    || text.IndexOf("invalid status line", StringComparison.OrdinalIgnoreCase) >= 0
                    || text.IndexOf("response ended prematurely", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static Exception Innermost(Exception exception)
        {
            while (exception.InnerException is not null)
            {
                exception = exception.InnerException;
            }

            return exception;
        }
    }
}
