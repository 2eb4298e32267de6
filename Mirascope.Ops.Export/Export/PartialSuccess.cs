using System;
using System.Text.Json;

namespace Mirascope.Ops.Export
{
    /// <summary>The <c>partialSuccess</c> of an OTLP/JSON export response: how many spans the server rejected and why.</summary>
    internal readonly struct PartialSuccess
    {
        private PartialSuccess(long rejectedSpans, string? errorMessage)
        {
            RejectedSpans = rejectedSpans;
            ErrorMessage = errorMessage;
        }

        public long RejectedSpans { get; }

        public string? ErrorMessage { get; }

        /// <summary>Reads the response body; an empty or unreadable body is a full success (the server said 2xx).</summary>
        public static PartialSuccess Parse(string body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return default;
            }

            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("partialSuccess", out var partial)
                    || partial.ValueKind != JsonValueKind.Object)
                {
                    return default;
                }

                long rejected = 0;
                if (partial.TryGetProperty("rejectedSpans", out var count))
                {
                    // int64 in ProtoJSON is a string, but servers also send a number.
                    if (count.ValueKind == JsonValueKind.Number)
                    {
                        count.TryGetInt64(out rejected);
                    }
                    else if (count.ValueKind == JsonValueKind.String)
                    {
                        long.TryParse(count.GetString(), out rejected);
                    }
                }

                string? message = null;
                if (partial.TryGetProperty("errorMessage", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    message = text.GetString();
                    if (string.IsNullOrEmpty(message))
                    {
                        message = null;
                    }
                }

                return new PartialSuccess(rejected, message);
            }
            catch (JsonException)
            {
                return default;
            }
        }
    }
}
