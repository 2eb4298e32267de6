using System;
using System.Net.Http;

namespace Mirascope.Ops.Export.Otlp
{
    /// <summary>
    /// What the wire said to one export request of the official OTLP exporter, as <see cref="OtlpRequestObserver"/> saw
    /// it: the answer's status, content type and gRPC status, or the exception, and whether it timed out with no answer.
    /// The SDK's exporter only says success or failure; this is what tells why.
    /// </summary>
    internal sealed class OtlpAttempt
    {
        public OtlpAttempt(HttpResponseMessage? response, string? body, Exception? error, bool timedOut)
        {
            Body = body;
            Error = error;
            TimedOut = timedOut;
            if (response is not null)
            {
                HttpStatus = (int)response.StatusCode;
                ReasonPhrase = response.ReasonPhrase;
                ContentType = response.Content?.Headers.ContentType?.MediaType;
                RetryAfter = Export.RetryAfter.Read(response);
                GrpcStatus = ReadGrpcStatus(response, out var message);
                GrpcMessage = message;
            }
        }

        /// <summary>No request was made (the exporter failed before sending: serialization, a bug).</summary>
        public static OtlpAttempt NotSent { get; } = new OtlpAttempt(null, null, null, false);

        /// <summary>The start of a failed answer's body (at most 200 characters, on one line), for the reason text.</summary>
        public string? Body { get; }

        public int? HttpStatus { get; }

        public string? ReasonPhrase { get; }

        public string? ContentType { get; }

        public int? GrpcStatus { get; }

        public string? GrpcMessage { get; }

        public TimeSpan? RetryAfter { get; }

        public Exception? Error { get; }

        /// <summary>No answer (not even response headers) within the export timeout.</summary>
        public bool TimedOut { get; }

        public bool Answered => HttpStatus is not null;

        private static int? ReadGrpcStatus(HttpResponseMessage response, out string? message)
        {
            message = null;
            // Trailers-only answers (errors, usually) carry it in the headers; normal ones in the trailers.
            if (TryRead(response.Headers, out var status, ref message))
            {
                return status;
            }
#if NET8_0_OR_GREATER
            if (TryRead(response.TrailingHeaders, out status, ref message))
            {
                return status;
            }
#endif
            return null;
        }

        private static bool TryRead(System.Net.Http.Headers.HttpHeaders headers, out int status, ref string? message)
        {
            status = 0;
            if (!headers.TryGetValues("grpc-status", out var values))
            {
                return false;
            }

            foreach (var value in values)
            {
                if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out status))
                {
                    if (headers.TryGetValues("grpc-message", out var messages))
                    {
                        foreach (var text in messages)
                        {
                            message = Uri.UnescapeDataString(text);
                            break;
                        }
                    }

                    return true;
                }
            }

            return false;
        }
    }
}
