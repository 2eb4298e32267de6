using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// <see cref="SpanFacts"/> read from the attributes' UTF-8 JSON while the decoder still holds it, in one forward pass
    /// with no document and no copy: the stored text is this same JSON, so the facts are the ones <see cref="Read"/> finds
    /// in it (the golden rows of <c>IngestGoldenRowsTests</c> hold the two to the same columns). Reading them again from
    /// the stored string, as before, turned the text back into UTF-8 and built a <see cref="JsonDocument"/> per span: most
    /// of the per-span work after decoding (issue 28 item 6, docs/benchmarks.md).
    /// </summary>
    internal readonly partial struct SpanFacts
    {
        // The keys the facts read, by position in Found: a key that appears twice counts by its last copy, as
        // JsonElement.TryGetProperty finds it.
        private const int KeySession = 0, KeyTags = 1, KeyInput = 2, KeyOutput = 3, KeyCacheRead = 4, KeyCacheWrite = 5, KeyCacheCreation = 6, KeyResponseId = 7,
            KeyOperation = 8, KeyMirascopeUsage = 9, KeyVersionHash = 10, KeyVersionName = 11, KeyProviderId = 12, KeyProviderName = 13, KeyGenAiSystem = 14,
            KeyModelId = 15, KeyResponseModel = 16, KeyRequestModel = 17, KeyErrorType = 18, KeyCount = 19;

        private static readonly byte[][] Keys =
        {
            Encoding.UTF8.GetBytes(SessionIdKey), Encoding.UTF8.GetBytes(TagsKey), Encoding.UTF8.GetBytes(InputTokensKey),
            Encoding.UTF8.GetBytes(OutputTokensKey), Encoding.UTF8.GetBytes(CacheReadTokensKey), Encoding.UTF8.GetBytes(CacheWriteTokensKey),
            Encoding.UTF8.GetBytes(CacheCreationTokensKey), Encoding.UTF8.GetBytes(ResponseIdKey), Encoding.UTF8.GetBytes(OperationNameKey),
            Encoding.UTF8.GetBytes(MirascopeUsageKey), Encoding.UTF8.GetBytes(VersionHashKey), Encoding.UTF8.GetBytes(VersionNameKey),
            Encoding.UTF8.GetBytes("mirascope.response.provider_id"), Encoding.UTF8.GetBytes("gen_ai.provider.name"), Encoding.UTF8.GetBytes("gen_ai.system"),
            Encoding.UTF8.GetBytes("mirascope.response.model_id"), Encoding.UTF8.GetBytes("gen_ai.response.model"), Encoding.UTF8.GetBytes("gen_ai.request.model"),
            Encoding.UTF8.GetBytes("error.type"),
        };

        /// <summary>
        /// The facts of a span whose attributes are <paramref name="attributes"/> (a JSON object as the decoder wrote it);
        /// <paramref name="hasExceptionEvent"/>: one of its events is named <c>exception</c>.
        /// </summary>
        public static SpanFacts ReadWritten(ReadOnlySpan<byte> attributes, bool hasExceptionEvent, int statusCode)
        {
            // Where each key's value is in attributes: start and length, or -1.
            Span<int> at = stackalloc int[KeyCount * 2];
            at.Fill(-1);
            var reader = new Utf8JsonReader(attributes);
            reader.Read();   // the object's start
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = KeyOf(ref reader);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();   // to the end of an object or array; a plain value is one token
                if (key >= 0)
                {
                    at[key * 2] = start;
                    at[(key * 2) + 1] = (int)reader.BytesConsumed - start;
                }
            }

            static ReadOnlySpan<byte> Value(Span<int> at, ReadOnlySpan<byte> attributes, int key) =>
                at[key * 2] < 0 ? ReadOnlySpan<byte>.Empty : attributes.Slice(at[key * 2], at[(key * 2) + 1]);

            var session = Text(Value(at, attributes, KeySession));
            var tagsValue = Value(at, attributes, KeyTags);
            var tags = tagsValue.IsEmpty ? null : TagsOf(tagsValue);

            var source = UsageSource.None;
            long? input = Tokens(Value(at, attributes, KeyInput)), output = Tokens(Value(at, attributes, KeyOutput));
            long? cacheRead = Tokens(Value(at, attributes, KeyCacheRead)), cacheWrite = Tokens(Value(at, attributes, KeyCacheWrite)) ?? Tokens(Value(at, attributes, KeyCacheCreation));
            if (input is not null || output is not null)
            {
                source = Text(Value(at, attributes, KeyOperation)) is "invoke_agent" or "invoke_workflow" ? UsageSource.AgentTotal : UsageSource.GenAi;
            }

            var usageValue = Value(at, attributes, KeyMirascopeUsage);
            if (!usageValue.IsEmpty && UsageObject(usageValue) is { } u)
            {
                if (source == UsageSource.None)
                {
                    input = Tokens(u, "input_tokens");
                    output = Tokens(u, "output_tokens");
                    source = input is not null || output is not null ? UsageSource.MirascopeResponse : UsageSource.None;
                }

                cacheRead ??= Tokens(u, "cache_read_tokens");
                cacheWrite ??= Tokens(u, "cache_write_tokens");
            }

            return new SpanFacts
            {
                SessionId = string.IsNullOrEmpty(session) ? null : session,
                TagsJson = tags,
                UsageSource = source,
                InputTokens = input,
                OutputTokens = output,
                CacheReadTokens = source == UsageSource.None ? null : cacheRead,
                CacheWriteTokens = source == UsageSource.None ? null : cacheWrite,
                ResponseId = source == UsageSource.GenAi ? Text(Value(at, attributes, KeyResponseId)) : null,
                Provider = Text(Value(at, attributes, KeyProviderId)) ?? Text(Value(at, attributes, KeyProviderName)) ?? Text(Value(at, attributes, KeyGenAiSystem)),
                Model = Text(Value(at, attributes, KeyModelId)) ?? Text(Value(at, attributes, KeyResponseModel)) ?? Text(Value(at, attributes, KeyRequestModel)),
                VersionHash = Text(Value(at, attributes, KeyVersionHash)),
                VersionName = Text(Value(at, attributes, KeyVersionName)),
                IsError = statusCode == 2 || Text(Value(at, attributes, KeyErrorType)) is not null || hasExceptionEvent,
            };
        }

        private static int KeyOf(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped)
            {
                for (var k = 0; k < KeyCount; k++)
                {
                    if (reader.ValueTextEquals(Keys[k]))
                    {
                        return k;
                    }
                }

                return -1;
            }

            var name = reader.ValueSpan;
            if (name.Length < 10 || (name[0] != (byte)'g' && name[0] != (byte)'m' && name[0] != (byte)'e'))
            {
                return -1;   // every key read starts with gen_ai., mirascope. or error.
            }

            for (var k = 0; k < KeyCount; k++)
            {
                if (name.SequenceEqual(Keys[k]))
                {
                    return k;
                }
            }

            return -1;
        }

        /// <summary>A non-empty string value's text, else null (as <see cref="Text(JsonElement, string)"/>).</summary>
        private static string? Text(ReadOnlySpan<byte> value)
        {
            if (value.IsEmpty || value[0] != (byte)'"')
            {
                return null;
            }

            var reader = new Utf8JsonReader(value);
            reader.Read();
            var text = reader.GetString()!;
            return text.Length > 0 ? text : null;
        }

        private static long? Tokens(ReadOnlySpan<byte> value)
        {
            if (value.IsEmpty)
            {
                return null;
            }

            var reader = new Utf8JsonReader(value);
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) && number >= 0)
            {
                return number;
            }

            return reader.TokenType == JsonTokenType.String && long.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : null;
        }

        private static string? TagsOf(ReadOnlySpan<byte> value)
        {
            var list = new List<string>();
            var reader = new Utf8JsonReader(value);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        var tag = reader.GetString();
                        if (!string.IsNullOrEmpty(tag))
                        {
                            list.Add(tag);
                        }
                    }
                    else
                    {
                        reader.Skip();   // a nested array or object is no tag
                    }
                }
            }
            else if (reader.TokenType == JsonTokenType.String)
            {
                var tag = reader.GetString();
                if (!string.IsNullOrEmpty(tag))
                {
                    list.Add(tag);
                }
            }

            return list.Count == 0 ? null : JsonSerializer.Serialize(list);
        }

        /// <summary>The usage object: a JSON text in a string (parsed up to <see cref="MaxUsageJson"/>) or the object itself.</summary>
        private static JsonElement? UsageObject(ReadOnlySpan<byte> value)
        {
            if (value[0] == (byte)'"')
            {
                var text = Text(value) ?? string.Empty;
                return text.Length <= MaxUsageJson ? TryParseObject(text) : null;
            }

            if (value[0] != (byte)'{')
            {
                return null;
            }

            using var document = JsonDocument.Parse(value.ToArray());
            return document.RootElement.Clone();
        }
    }
}
