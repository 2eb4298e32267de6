using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>Broken and hostile bodies sent to the functions, annotations and search endpoints: each a 4xx that says why, never a 500.</summary>
    public sealed class HostileCloudEndpointTests
    {
        private const string Window = @"""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z""";

        public static TheoryData<string, string, byte[], string> Bodies()
        {
            static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
            static byte[] WithByte(string before, byte raw, string after)
            {
                var head = Encoding.UTF8.GetBytes(before);
                var tail = Encoding.UTF8.GetBytes(after);
                var bytes = new byte[head.Length + 1 + tail.Length];
                head.CopyTo(bytes, 0);
                bytes[head.Length] = raw;
                tail.CopyTo(bytes, head.Length + 1);
                return bytes;
            }

            var deep = new string('[', 70) + new string(']', 70);
            return new TheoryData<string, string, byte[], string>
            {
                { "POST", "api/v2/functions", Text(@"{""code"":" + deep + "}"), "the body is not JSON" },
                { "POST", "api/v2/functions", WithByte(@"{""code"":""", 0xFF, @""",""hash"":""h"",""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""c""}"), "code is not valid UTF-8" },
                { "POST", "api/v2/traces/search", Text("{" + Window + @",""limit"":1e400}"), "limit must be a number from 1 to 1000" },
                { "POST", "api/v2/traces/search", Text("{" + Window + @",""minDuration"":-5}"), "minDuration must be a number from 0" },
                { "POST", "api/v2/traces/search", Text("{" + Window + @",""query"":""" + new string('a', 501) + @"""}"), "query is 501 characters long; at most 500 are allowed" },
                { "POST", "api/v2/traces/search", Text("{" + Window + @",""model"":[" + string.Join(",", System.Linq.Enumerable.Repeat(@"""m""", 21)) + "]}"), "model has 21 items; at most 20 are allowed" },
                { "POST", "api/v2/traces/search", Text("{" + Window + @",""attributeFilters"":[{""key"":""\udc00"",""operator"":""exists""}]}"), "attributeFilters[0].key holds an escaped lone surrogate" },
                { "POST", "api/v2/annotations", Text(@"{""otelSpanId"":""0000000000000001"",""otelTraceId"":""" + RichSpans.TraceId("x") + @""",""metadata"":{""a"":{""\ud800"":1}}}"), "metadata.a has a field name that is not Unicode text" },
                { "POST", "api/v2/annotations", Text(@"{""otelSpanId"":""0000000000000001"",""otelTraceId"":""" + RichSpans.TraceId("x") + @""",""reasoning"":""" + new string('r', 100_001) + @"""}"), "reasoning is 100001 characters long" },
                { "PUT", "api/v2/annotations/00000000-0000-0000-0000-000000000001", Text(@"{""label"":5}"), "label must be a string, got a number" },
                { "PUT", "api/v2/annotations/00000000-0000-0000-0000-000000000001", Text("null"), "the body must be a JSON object, got null" },
            };
        }

        [Theory]
        [MemberData(nameof(Bodies))]
        public async Task A_broken_body_is_a_400_that_names_the_problem(string method, string path, byte[] body, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await viewer.Http.SendAsync(request);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            Assert.StartsWith(message, JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
        }
    }
}
