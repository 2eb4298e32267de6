using System;
using System.Collections.Generic;
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
    /// <summary>The Cloud's functions endpoints (<c>/api/v2/functions</c>) over HTTP: shapes, version numbers, errors.</summary>
    public sealed class FunctionEndpointTests
    {
        internal static string CreateBody(string name, string hash, string signatureHash, string code = "int F() => 1;", string extra = "") =>
            $@"{{""code"":{JsonSerializer.Serialize(code)},""hash"":""{hash}"",""signature"":""int F()"",""signatureHash"":""{signatureHash}"",""name"":""{name}"",""language"":""csharp""{extra}}}";

        internal static async Task<JsonElement> CreateAsync(RunningViewer viewer, string body)
        {
            using var response = await PostJsonAsync(viewer, "api/v2/functions", body, key: viewer.Options.ApiKey);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        internal static Task<HttpResponseMessage> PostJsonAsync(RunningViewer viewer, string path, string body, string? key = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            return viewer.Http.SendAsync(request);
        }

        [Fact]
        public async Task Versions_are_numbered_as_the_Cloud_did_a_new_signature_is_a_major_version_the_same_signature_a_minor_one()
        {
            await using var viewer = await RunningViewer.StartAsync();

            var first = await CreateAsync(viewer, CreateBody("Recommend", "h1", "s1"));
            var sameSignature = await CreateAsync(viewer, CreateBody("Recommend", "h2", "s1", code: "int F() => 2;"));
            var newSignature = await CreateAsync(viewer, CreateBody("Recommend", "h3", "s2"));
            var backToOld = await CreateAsync(viewer, CreateBody("Recommend", "h4", "s1"));   // compared with the latest (s2): a new major
            var otherName = await CreateAsync(viewer, CreateBody("Summarize", "h5", "s1"));

            Assert.Equal("1.0", first.GetProperty("version").GetString());
            Assert.Equal("1.1", sameSignature.GetProperty("version").GetString());
            Assert.Equal("2.0", newSignature.GetProperty("version").GetString());
            Assert.Equal("3.0", backToOld.GetProperty("version").GetString());
            Assert.Equal("1.0", otherName.GetProperty("version").GetString());
        }

        [Fact]
        public async Task A_function_is_created_found_by_hash_and_id_listed_newest_first_and_deleted_with_the_Clouds_shapes()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var created = await CreateAsync(viewer, CreateBody("Recommend", "abc123", "sig1", extra:
                @",""description"":""Recommends a book"",""tags"":[""books"",""prod""],""metadata"":{""owner"":""team""},""dependencies"":{""Mirascope.Ops"":{""version"":""0.1.0"",""extras"":null}}"));

            var id = created.GetProperty("id").GetString()!;
            Assert.True(Guid.TryParseExact(id, "D", out _));
            Assert.Equal("abc123", created.GetProperty("hash").GetString());
            Assert.Equal("sig1", created.GetProperty("signatureHash").GetString());
            Assert.Equal("Recommend", created.GetProperty("name").GetString());
            Assert.Equal("Recommends a book", created.GetProperty("description").GetString());
            Assert.Equal("[\"books\",\"prod\"]", created.GetProperty("tags").GetRawText());
            Assert.Equal("{\"owner\":\"team\"}", created.GetProperty("metadata").GetRawText());
            Assert.Equal("{\"Mirascope.Ops\":{\"version\":\"0.1.0\",\"extras\":null}}", created.GetProperty("dependencies").GetRawText());
            Assert.Equal("int F() => 1;", created.GetProperty("code").GetString());
            Assert.Equal("int F()", created.GetProperty("signature").GetString());
            Assert.Equal("csharp", created.GetProperty("language").GetString());
            foreach (var field in new[] { "environmentId", "projectId", "organizationId" })
            {
                Assert.True(Guid.TryParse(created.GetProperty(field).GetString(), out _), field);
            }

            Assert.True(DateTimeOffset.TryParse(created.GetProperty("createdAt").GetString(), out var createdAt));
            Assert.True((DateTimeOffset.UtcNow - createdAt).Duration() < TimeSpan.FromMinutes(1));

            var byHash = await viewer.GetJsonAsync("api/v2/functions/hash/abc123");
            Assert.Equal(id, byHash.GetProperty("id").GetString());
            var byId = await viewer.GetJsonAsync("api/v2/functions/" + id);
            Assert.Equal("abc123", byId.GetProperty("hash").GetString());

            var second = await CreateAsync(viewer, CreateBody("Other", "def456", "sig9"));
            Assert.Equal(JsonValueKind.Null, second.GetProperty("tags").ValueKind);   // not given: null, as the Cloud stored it
            var list = await viewer.GetJsonAsync("api/v2/functions");
            Assert.Equal(2, list.GetProperty("total").GetInt32());
            Assert.Equal("def456", list.GetProperty("functions")[0].GetProperty("hash").GetString());   // newest first

            using (var deleted = await viewer.Http.DeleteAsync("api/v2/functions/" + id))
            {
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }

            using var gone = await viewer.Http.GetAsync("api/v2/functions/hash/abc123");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Equal("{\"tag\":\"NotFoundError\",\"message\":\"Function with hash abc123 not found\"}", await gone.Content.ReadAsStringAsync());
            using var goneById = await viewer.Http.DeleteAsync("api/v2/functions/" + id);
            Assert.Equal(HttpStatusCode.NotFound, goneById.StatusCode);
        }

        [Fact]
        public async Task The_same_hash_twice_is_a_409_naming_the_existing_version()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await CreateAsync(viewer, CreateBody("Recommend", "same", "s1"));

            using var again = await PostJsonAsync(viewer, "api/v2/functions", CreateBody("Recommend", "same", "s1"));

            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            var body = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("AlreadyExistsError", body.GetProperty("tag").GetString());
            Assert.StartsWith("Function with hash same already exists (version 1.0 of Recommend", body.GetProperty("message").GetString());
            Assert.Equal(1, (await viewer.GetJsonAsync("api/v2/functions")).GetProperty("total").GetInt32());
        }

        [Theory]
        [InlineData("", "the body is empty; send a JSON object")]
        [InlineData("{", "the body is not JSON")]
        [InlineData("[1]", "the body must be a JSON object, got an array")]
        [InlineData(@"{""code"":"""",""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""csharp""}", "hash is required (a string)")]
        [InlineData(@"{""code"":"""",""hash"":7,""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""csharp""}", "hash must be a string, got a number")]
        [InlineData(@"{""code"":"""",""hash"":"""",""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""csharp""}", "hash must not be empty")]
        [InlineData(@"{""code"":"""",""hash"":""h"",""signature"":"""",""signatureHash"":""s"",""name"":null,""language"":""csharp""}", "name must be a string, got null")]
        [InlineData(@"{""code"":"""",""hash"":""h"",""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""csharp"",""tags"":""a""}", "tags must be an array of strings or null, got a string")]
        [InlineData(@"{""code"":"""",""hash"":""h"",""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""csharp"",""tags"":[1]}", "tags[0] must be a string, got a number")]
        [InlineData(@"{""code"":"""",""hash"":""h"",""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""csharp"",""metadata"":{""a"":1}}", "metadata.a must be a string, got a number")]
        [InlineData(@"{""code"":"""",""hash"":""h"",""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""csharp"",""dependencies"":{""x"":{}}}", "dependencies.x.version is required (a string)")]
        [InlineData(@"{""code"":"""",""hash"":""h"",""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""csharp"",""dependencies"":{""x"":""1.0""}}", "dependencies.x must be an object")]
        [InlineData(@"{""code"":""\ud800"",""hash"":""h"",""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""csharp""}", "code holds an escaped lone surrogate")]
        [InlineData(@"{""code"":"""",""hash"":""h"",""signature"":"""",""signatureHash"":""s"",""name"":""n"",""language"":""csharp"",""metadata"":{""\udc00"":""x""}}", "metadata has a field name that is not Unicode text")]
        public async Task A_bad_create_body_is_a_400_naming_the_field(string body, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await PostJsonAsync(viewer, "api/v2/functions", body, key: viewer.Options.ApiKey);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            var answer = JsonDocument.Parse(text).RootElement;
            Assert.Equal("HttpApiDecodeError", answer.GetProperty("tag").GetString());
            Assert.StartsWith(message, answer.GetProperty("message").GetString());
            Assert.Equal(0, (await viewer.GetJsonAsync("api/v2/functions")).GetProperty("total").GetInt32());
        }

        [Fact]
        public async Task Other_hostile_requests_get_4xx_that_say_why()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.MaxBodyBytes = 1024);

            using (var badId = await viewer.Http.GetAsync("api/v2/functions/not-a-uuid"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
                Assert.Contains("id must be a UUID", await badId.Content.ReadAsStringAsync());
            }

            using (var text = await viewer.Http.PostAsync("api/v2/functions", new StringContent("{}", Encoding.UTF8, "text/plain")))
            {
                Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
                Assert.Contains("Content-Type \\\"text/plain; charset=utf-8\\\" is not supported", await text.Content.ReadAsStringAsync());
            }

            using (var huge = await PostJsonAsync(viewer, "api/v2/functions", CreateBody("n", "h", "s", code: new string('x', 5000))))
            {
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
            }
        }

        [Fact]
        public async Task With_an_api_key_the_functions_endpoints_require_it()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = "secret");

            using (var missing = await PostJsonAsync(viewer, "api/v2/functions", CreateBody("n", "h", "s")))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
                Assert.Contains("UnauthorizedError", await missing.Content.ReadAsStringAsync());
            }

            using (var wrong = await PostJsonAsync(viewer, "api/v2/functions", CreateBody("n", "h", "s"), key: "guess"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }

            using var right = await PostJsonAsync(viewer, "api/v2/functions", CreateBody("n", "h", "s"), key: "secret");
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }
    }
}
