using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using TracedBookshop;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.ExportBranch
{
    /// <summary>
    /// The runtime's side of the Cloud workflow against the running viewer: a [Version] method registers its function
    /// once, with the code stamped at build time, and an annotation made from code reaches the span it names.
    /// </summary>
    [Collection(GlobalOpsConfiguration.Name)]
    public sealed class RegistrationAndAnnotationTests
    {
        private const string Key = "local-key";

        [Fact]
        public async Task A_versioned_call_registers_its_function_once_and_its_annotation_from_code_is_stored_on_its_span()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = Key);
            OpsExport.Configure(o =>
            {
                o.ApiKey = Key;
                o.BaseUrl = viewer.BaseUrl;
                o.ServiceName = "librarian-app";
                o.ScheduledDelay = TimeSpan.FromMilliseconds(20);
            });
            try
            {
                var librarian = new Librarian();
                var pick = MirascopeOps.Wrapped(() => librarian.Pick("fantasy"));
                Assert.Equal("Try Mistborn", pick.Result);
                Assert.True(pick.Annotate(AnnotationLabel.Pass, "a good pick", tags: new[] { "reviewed" }), "no receiver took the annotation");
                Assert.Equal("Try Dune", librarian.Pick("scifi"));
                Assert.True(OpsExport.ForceFlush(TimeSpan.FromSeconds(10)), "the export did not deliver everything within 10 s");

                var functions = await WaitForAsync(viewer, "api/v2/functions", json => json.GetProperty("functions").GetArrayLength() > 0);
                var function = Assert.Single(functions.GetProperty("functions").EnumerateArray());
                Assert.Equal("pick_book", function.GetProperty("name").GetString());
                Assert.Equal("1.0", function.GetProperty("version").GetString());
                Assert.Equal("csharp", function.GetProperty("language").GetString());
                Assert.Contains("public string Pick(string genre)", function.GetProperty("code").GetString(), StringComparison.Ordinal);
                Assert.Contains("Opening = \"Try\"", function.GetProperty("code").GetString(), StringComparison.Ordinal);
                Assert.Equal(MirascopeOps.VersionOf(typeof(Librarian).GetMethod(nameof(Librarian.Pick))!)!.Hash, function.GetProperty("hash").GetString());

                var annotations = await WaitForAsync(viewer, "api/v2/annotations?otelTraceId=" + pick.TraceId, json => json.GetProperty("annotations").GetArrayLength() > 0);
                var annotation = Assert.Single(annotations.GetProperty("annotations").EnumerateArray());
                Assert.Equal(pick.SpanId, annotation.GetProperty("otelSpanId").GetString());
                Assert.Equal("pass", annotation.GetProperty("label").GetString());
                Assert.Equal("a good pick", annotation.GetProperty("reasoning").GetString());
                Assert.Equal(new[] { "reviewed" }, annotation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

                // The page's view of the function links both calls' spans to the one registered version.
                var listed = await viewer.GetJsonAsync("api/functions");
                Assert.Contains("pick_book", listed.GetRawText(), StringComparison.Ordinal);
            }
            finally
            {
                OpsExport.Shutdown(TimeSpan.FromSeconds(5));
            }
        }

        private static async Task<JsonElement> WaitForAsync(RunningViewer viewer, string path, Func<JsonElement, bool> done)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
                using var response = await viewer.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
                using var document = JsonDocument.Parse(text);
                if (done(document.RootElement))
                {
                    return document.RootElement.Clone();
                }

                Assert.True(DateTime.UtcNow < deadline, $"GET {path} still answers {text} after 20 s");
                await Task.Delay(50);
            }
        }
    }
}
