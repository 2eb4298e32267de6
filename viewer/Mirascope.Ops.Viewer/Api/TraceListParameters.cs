using System;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// Reads the query of <c>GET /api/traces</c> into a <see cref="TraceFilter"/>. Every parameter that is unknown, given
    /// twice or not what it should be is refused with a message naming it, rather than ignored: a filter that silently
    /// does nothing shows the user a list they did not ask for.
    /// </summary>
    internal static class TraceListParameters
    {
        public static readonly string[] Names =
        {
            "name", "tag", "session", "errors", "from", "to", "limit", "q", "minDuration", "maxDuration", "status", "service", "function", "version",
            "annotated", "offset", "cursor",
        };

        /// <summary>The longest duration a filter may name, in milliseconds (about 31 years; spans' times end in 2262 anyway).</summary>
        public const double MaxDurationMs = 1e12;

        // Unix nanoseconds fit in a long from 1677-09-21 to 2262-04-11; a time outside that cannot be compared with spans.
        private static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch.AddTicks(long.MinValue / 100 + 1);
        private static readonly DateTimeOffset Latest = DateTimeOffset.UnixEpoch.AddTicks(long.MaxValue / 100);

        /// <exception cref="BadParameterException">A parameter is unknown, repeated or malformed.</exception>
        public static TraceFilter Read(IQueryCollection query)
        {
            foreach (var (key, values) in query)
            {
                if (Array.IndexOf(Names, key) < 0)
                {
                    throw new BadParameterException(Quote(key), $"is not a parameter of /api/traces; it takes {string.Join(", ", Names)}");
                }

                if (values.Count > 1)
                {
                    throw new BadParameterException(key, $"is given {values.Count} times; give it once");
                }
            }

            var from = Time(query, "from");
            var to = Time(query, "to");
            if (from is not null && to is not null && from > to)
            {
                throw new BadParameterException("from", $"is after to ({Single(query, "from")} > {Single(query, "to")}); no trace can match");
            }

            var minDuration = Duration(query, "minDuration");
            var maxDuration = Duration(query, "maxDuration");
            if (minDuration is not null && maxDuration is not null && minDuration > maxDuration)
            {
                throw new BadParameterException("minDuration", $"is more than maxDuration ({Single(query, "minDuration")} > {Single(query, "maxDuration")}); no trace can match");
            }

            var status = Single(query, "status").Trim().ToLowerInvariant();
            if (status is not ("" or "ok" or "error"))
            {
                throw new BadParameterException("status", $"must be ok (no span failed) or error (a span failed), got {Quote(Single(query, "status"))}");
            }

            var errorsOnly = Flag(query, "errors");
            if (errorsOnly && status == "ok")
            {
                throw new BadParameterException("status", "is ok while errors is true; no trace can match");
            }

            var after = Cursor(query);
            if (after is not null && Single(query, "offset").Trim().Length > 0)
            {
                throw new BadParameterException("cursor", "and offset both say where the page starts; give one (the cursor is the fast way)");
            }

            return new TraceFilter
            {
                After = after,
                Text = Text(query, "q"),
                MinDurationNs = minDuration,
                MaxDurationNs = maxDuration,
                OkOnly = status == "ok",
                Service = Text(query, "service"),
                Function = Text(query, "function"),
                Version = Text(query, "version"),
                Annotated = Single(query, "annotated").Trim().Length == 0 ? null : Flag(query, "annotated"),
                Offset = Offset(query),
                Name = Text(query, "name"),
                Tag = Text(query, "tag"),
                Session = Text(query, "session"),
                ErrorsOnly = errorsOnly || status == "error",
                FromNs = from,
                ToNs = to,
                Limit = Limit(query),
            };
        }

        private static string Single(IQueryCollection query, string name) => query.TryGetValue(name, out StringValues values) ? values.ToString() : string.Empty;

        /// <summary>A search text; blank means no filter.</summary>
        private static string? Text(IQueryCollection query, string name)
        {
            var text = Single(query, name).Trim();
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                // SQLite ends a LIKE pattern at U+0000, so "%00" would match every trace instead of none.
                throw new BadParameterException(name, "must not contain the character U+0000 (%00)");
            }

            return text.Length == 0 ? null : text;
        }

        private static bool Flag(IQueryCollection query, string name)
        {
            var text = Single(query, name).Trim();
            return text.ToLowerInvariant() switch
            {
                "" or "false" or "0" or "off" or "no" => false,
                "true" or "1" or "on" or "yes" => true,
                _ => throw new BadParameterException(name, $"must be true or false, got {Quote(text)}"),
            };
        }

        private static int Limit(IQueryCollection query)
        {
            var text = Single(query, "limit").Trim();
            if (text.Length == 0)
            {
                return TraceFilter.DefaultLimit;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > TraceFilter.MaxLimit)
            {
                throw new BadParameterException("limit", $"must be a whole number from 1 to {TraceFilter.MaxLimit}, got {Quote(text)}");
            }

            return limit;
        }

        /// <summary>A duration in milliseconds (fractions allowed), in nanoseconds.</summary>
        private static long? Duration(IQueryCollection query, string name)
        {
            var text = Single(query, name).Trim();
            if (text.Length == 0)
            {
                return null;
            }

            if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var milliseconds) || milliseconds > MaxDurationMs)
            {
                throw new BadParameterException(name, $"must be a number of milliseconds from 0 to {MaxDurationMs:0}, got {Quote(text)}");
            }

            return (long)(milliseconds * 1_000_000);
        }

        private static int Offset(IQueryCollection query)
        {
            var text = Single(query, "offset").Trim();
            if (text.Length == 0)
            {
                return 0;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset > TraceFilter.MaxOffset)
            {
                throw new BadParameterException("offset", $"must be a whole number from 0 to {TraceFilter.MaxOffset}, got {Quote(text)}");
            }

            return offset;
        }

        /// <summary>The <c>nextCursor</c> of an earlier answer, checked to be one this viewer gives out.</summary>
        private static TraceListCursor? Cursor(IQueryCollection query)
        {
            var text = Single(query, "cursor").Trim();
            if (text.Length == 0)
            {
                return null;
            }

            return TraceListCursor.Decode(text, out var problem) ?? throw new BadParameterException("cursor", problem + ", got " + Quote(text));
        }

        /// <summary>A time given as ISO 8601 (<c>2025-01-01T10:00:00Z</c>; without an offset it is UTC) or as Unix milliseconds, in Unix nanoseconds.</summary>
        private static long? Time(IQueryCollection query, string name)
        {
            var text = Single(query, name).Trim();
            if (text.Length == 0)
            {
                return null;
            }

            DateTimeOffset time;
            if (text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
            {
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) || milliseconds > Latest.ToUnixTimeMilliseconds())
                {
                    throw new BadParameterException(name, $"must be at most {Latest.ToUnixTimeMilliseconds()} Unix milliseconds ({Latest:yyyy-MM-dd}), the latest time a span can have, got {Quote(text)}");
                }

                return milliseconds * 1_000_000;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
            {
                throw new BadParameterException(name, $"must be an ISO 8601 time (2025-01-31T09:30:00Z) or Unix milliseconds, got {Quote(text)}");
            }

            if (time < Earliest || time > Latest)
            {
                throw new BadParameterException(name, $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}, the times a span can have (Unix nanoseconds in 64 bits), got {Quote(text)}");
            }

            return (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        }

        private static string Quote(string text) => Ingest.HexId.Quote(text);
    }
}
