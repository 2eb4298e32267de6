using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>
    /// OTLP/JSON request bodies shaped like a traced LLM app's, as the Cloud exporter sends them: whole traces of
    /// <see cref="SpansPerTrace"/> spans: a <c>[Trace]</c>/<c>[Version]</c> root with arguments, output, tags and a session,
    /// traced calls below it with their arguments and return values, two chat spans with gen_ai usage and messages, and in
    /// one trace of ten a failed call with an exception event.
    /// </summary>
    internal sealed class SpanBatchBuilder
    {
        public const int SpansPerTrace = 10;

        /// <summary>Genres in the arguments and messages: searching one finds about one trace in eight.</summary>
        public static readonly string[] Genres = { "fantasy", "mystery", "history", "science", "poetry", "travel", "cooking", "horror" };

        /// <summary>The <c>[Version]</c> functions the roots and the ranking calls belong to (name, hash).</summary>
        public static readonly (string Name, string Hash)[] Functions =
        {
            ("Librarian.Answer", "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"),
            ("Librarian.Answer", "b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0"),
            ("Librarian.Rank", "c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1"),
        };

        private readonly string _serviceName;
        private readonly Random _random;
        private long _traceNumber;

        /// <summary>
        /// The first characters of every trace id this builder writes (the rest random): the fill's seeds start with
        /// <see cref="FillTraceIds.SeedPrefix"/> so their copies can be told apart by id (<see cref="BulkFill"/>).
        /// </summary>
        public string TraceIdPrefix { get; init; } = string.Empty;

        public SpanBatchBuilder(string serviceName, int seed)
        {
            _serviceName = serviceName;
            _random = new Random(seed);
        }

        /// <summary>One request body of whole traces, at most <paramref name="maxSpans"/> spans (at least one trace); the trace ids sent.</summary>
        public (byte[] Body, int Spans, List<string> TraceIds) Build(int maxSpans)
        {
            var traces = Math.Max(1, maxSpans / SpansPerTrace);
            var traceIds = new List<string>(traces);
            var buffer = new ArrayBufferWriter<byte>(traces * SpansPerTrace * 1200);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteStartArray("resourceSpans");
                json.WriteStartObject();
                json.WriteStartObject("resource");
                json.WriteStartArray("attributes");
                Attribute(json, "service.name", _serviceName);
                Attribute(json, "telemetry.sdk.name", "opentelemetry");
                Attribute(json, "telemetry.sdk.language", "dotnet");
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteStartArray("scopeSpans");
                json.WriteStartObject();
                json.WriteStartObject("scope");
                json.WriteString("name", "Mirascope.Ops");
                json.WriteString("version", "0.1.0");
                json.WriteEndObject();
                json.WriteStartArray("spans");
                for (var i = 0; i < traces; i++)
                {
                    traceIds.Add(WriteTrace(json));
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            return (buffer.WrittenSpan.ToArray(), traces * SpansPerTrace, traceIds);
        }

        private string WriteTrace(Utf8JsonWriter json)
        {
            var number = ++_traceNumber;
            var traceId = TraceIdPrefix + Hex(16).Substring(TraceIdPrefix.Length);
            var genre = Genres[_random.Next(Genres.Length)];
            var budget = 10 + _random.Next(90);
            var answer = Functions[_random.Next(2)];
            var failed = number % 10 == 0;
            var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L;
            var start = end - 400_000_000L - _random.Next(200) * 1_000_000L;
            var root = Hex(8);
            var session = "session-" + (number % 50).ToString(CultureInfo.InvariantCulture);

            Span(json, traceId, root, null, "Librarian.AnswerAsync", start, end, failed, attributes =>
            {
                Attribute(attributes, "mirascope.type", "trace");
                Attribute(attributes, "mirascope.trace.arg_values", $"{{\"question\":\"Recommend a {genre} book under ${budget}\",\"budget\":{budget}}}");
                Attribute(attributes, "mirascope.trace.output", $"\"Try The {Capital(genre)} of Night ({budget - 3} $)\"");
                Attribute(attributes, "mirascope.version.hash", answer.Hash);
                Attribute(attributes, "mirascope.version.name", answer.Name);
                Attribute(attributes, "mirascope.version.signature_hash", answer.Hash.Substring(0, 32));
                Attribute(attributes, "mirascope.ops.session.id", session);
                Strings(attributes, "mirascope.trace.tags", "books", genre);
            });
            var at = start + 5_000_000L;
            for (var i = 0; i < 2; i++)
            {
                Span(json, traceId, Hex(8), root, "Catalog.SearchAsync", at, at + 30_000_000L, false, attributes =>
                {
                    Attribute(attributes, "mirascope.type", "trace");
                    Attribute(attributes, "mirascope.trace.arg_values", $"{{\"genre\":\"{genre}\",\"page\":{i}}}");
                    Attribute(attributes, "mirascope.trace.output", $"[\"The {Capital(genre)} of Night\",\"A {Capital(genre)} Atlas\",\"Letters on {Capital(genre)}\"]");
                });
                at += 35_000_000L;
            }

            for (var i = 0; i < 2; i++)
            {
                var input = 800 + _random.Next(1200);
                var output = 80 + _random.Next(300);
                Span(json, traceId, Hex(8), root, "chat gpt-4o-mini", at, at + 120_000_000L, false, attributes =>
                {
                    Attribute(attributes, "gen_ai.operation.name", "chat");
                    Attribute(attributes, "gen_ai.provider.name", "openai");
                    Attribute(attributes, "gen_ai.request.model", "gpt-4o-mini");
                    Attribute(attributes, "gen_ai.response.model", "gpt-4o-mini-2024-07-18");
                    Attribute(attributes, "gen_ai.response.id", "chatcmpl-" + Hex(12));
                    Integer(attributes, "gen_ai.usage.input_tokens", input);
                    Integer(attributes, "gen_ai.usage.output_tokens", output);
                    Attribute(attributes, "gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"You are a librarian. Answer in one sentence.\"}]");
                    Attribute(attributes, "gen_ai.input.messages", $"[{{\"role\":\"user\",\"parts\":[{{\"type\":\"text\",\"content\":\"Recommend a {genre} book under ${budget}.\"}}]}}]");
                    Attribute(attributes, "gen_ai.output.messages", $"[{{\"role\":\"assistant\",\"parts\":[{{\"type\":\"text\",\"content\":\"Try The {Capital(genre)} of Night.\"}}],\"finish_reason\":\"stop\"}}]");
                    Strings(attributes, "gen_ai.response.finish_reasons", "stop");
                });
                at += 125_000_000L;
            }

            for (var i = 0; i < 3; i++)
            {
                var price = 5 + _random.Next(40);
                Span(json, traceId, Hex(8), root, "Pricing.Price", at, at + 2_000_000L, false, attributes =>
                {
                    Attribute(attributes, "mirascope.type", "trace");
                    Attribute(attributes, "mirascope.trace.arg_values", $"{{\"title\":\"The {Capital(genre)} of Night\",\"copies\":{i + 1}}}");
                    Attribute(attributes, "mirascope.trace.output", price.ToString(CultureInfo.InvariantCulture));
                });
                at += 3_000_000L;
            }

            var rank = Functions[2];
            Span(json, traceId, Hex(8), root, "Librarian.Rank", at, at + 8_000_000L, false, attributes =>
            {
                Attribute(attributes, "mirascope.type", "trace");
                Attribute(attributes, "mirascope.trace.arg_values", "{\"candidates\":3}");
                Attribute(attributes, "mirascope.trace.output", "[2,0,1]");
                Attribute(attributes, "mirascope.version.hash", rank.Hash);
                Attribute(attributes, "mirascope.version.name", rank.Name);
            });
            at += 9_000_000L;
            Span(json, traceId, Hex(8), root, "Pricing.Lookup", at, at + 1_000_000L, failed, attributes =>
            {
                Attribute(attributes, "mirascope.type", "trace");
                Attribute(attributes, "mirascope.trace.arg_values", $"{{\"isbn\":{9780000000000L + number}}}");
                if (!failed)
                {
                    Attribute(attributes, "mirascope.trace.output", "true");
                }
            });
            return traceId;
        }

        private static void Span(Utf8JsonWriter json, string traceId, string spanId, string? parent, string name, long start, long end, bool failed, Action<Utf8JsonWriter> attributes)
        {
            json.WriteStartObject();
            json.WriteString("traceId", traceId);
            json.WriteString("spanId", spanId);
            if (parent is not null)
            {
                json.WriteString("parentSpanId", parent);
            }

            json.WriteString("name", name);
            json.WriteNumber("kind", 1);
            json.WriteString("startTimeUnixNano", start.ToString(CultureInfo.InvariantCulture));
            json.WriteString("endTimeUnixNano", end.ToString(CultureInfo.InvariantCulture));
            json.WriteStartArray("attributes");
            attributes(json);
            json.WriteEndArray();
            if (failed && name == "Pricing.Lookup")
            {
                json.WriteStartArray("events");
                json.WriteStartObject();
                json.WriteString("name", "exception");
                json.WriteString("timeUnixNano", end.ToString(CultureInfo.InvariantCulture));
                json.WriteStartArray("attributes");
                Attribute(json, "exception.type", "TracedBookshop.BookNotFoundException");
                Attribute(json, "exception.message", "no book with that ISBN");
                Attribute(json, "exception.stacktrace", "TracedBookshop.BookNotFoundException: no book with that ISBN\n   at Pricing.Lookup(Int64 isbn)\n   at Librarian.AnswerAsync(String question, Int32 budget)");
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteStartObject("status");
            json.WriteNumber("code", failed ? 2 : 1);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        private static void Attribute(Utf8JsonWriter json, string key, string value)
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteStartObject("value");
            json.WriteString("stringValue", value);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        private static void Integer(Utf8JsonWriter json, string key, long value)
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteStartObject("value");
            json.WriteString("intValue", value.ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        private static void Strings(Utf8JsonWriter json, string key, params string[] values)
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteStartObject("value");
            json.WriteStartObject("arrayValue");
            json.WriteStartArray("values");
            foreach (var value in values)
            {
                json.WriteStartObject();
                json.WriteString("stringValue", value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word.Substring(1);

        private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
    }
}
