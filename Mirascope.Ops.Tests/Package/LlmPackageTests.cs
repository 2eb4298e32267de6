using System;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// Mirascope.Ops.Llm in a brand-new app: an IChatClient pipeline with <c>UseMirascopeOps()</c> and a traced method
    /// returning its ChatResponse, exported with Mirascope.Ops.Export's console tree and seen by the app's own listener.
    /// </summary>
    [Collection(PackageCollection.Name)]
    [Trait("Category", "Package")]
    public sealed class LlmPackageTests
    {
        private static readonly string Program = """
            using System.Diagnostics;
            using System.Runtime.CompilerServices;
            using Microsoft.Extensions.AI;
            using Mirascope.Ops;

            """ + SmokePrograms.SpanPrinter(false, ("model", "gen_ai.response.model"), ("input_tokens", "gen_ai.usage.input_tokens"), ("response_model", "mirascope.response.model_id"), ("output", "mirascope.trace.output")) + """
            OpsExport.Configure(o => o.UseConsole());

            IChatClient client = new ChatClientBuilder(new BookClient()).UseMirascopeOps().Build();
            var answer = await Books.RecommendAsync(client, "fantasy");
            Console.WriteLine("answer: " + answer.Text);
            OpsExport.Shutdown();

            public static class Books
            {
                [Trace]
                public static Task<ChatResponse> RecommendAsync(IChatClient client, string genre) =>
                    client.GetResponseAsync($"Recommend a {genre} book.", new ChatOptions { ModelId = "book-model" });
            }

            sealed class BookClient : IChatClient
            {
                public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
                    Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Try A Wizard of Earthsea."))
                    {
                        ModelId = "book-model-0001",
                        Usage = new UsageDetails { InputTokenCount = 7, OutputTokenCount = 6 },
                    });

                public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
                {
                    await Task.Yield();
                    yield break;
                }

                public object? GetService(Type serviceType, object? serviceKey = null) => null;

                public void Dispose() { }
            }
            """;

        private readonly PackageFeed _feed;
        private readonly ITestOutputHelper _log;

        public LlmPackageTests(PackageFeed feed, ITestOutputHelper log)
        {
            _feed = feed;
            _log = log;
        }

        [Fact]
        public void A_new_app_with_the_Llm_package_records_chat_spans_under_its_traced_method_and_the_response_it_returns()
        {
            _feed.EnsurePacked();
            var app = ConsumerProject.Create(_feed, _log, "Bookshop");
            app.AddAppPackages();
            app.AddPackage("Mirascope.Ops.Llm").EnsureSuccess();
            app.WriteSource("Program.cs", Program);
            app.WriteSource("FodyWeavers.xml", "<Weavers><Mirascope.Ops /></Weavers>");
            app.Build("-p:TreatWarningsAsErrors=true").EnsureSuccess();

            var run = app.RunApp(app.OutputAssembly("net10.0")).EnsureSuccess();

            Assert.Contains("span chat book-model parent=Books.RecommendAsync model=book-model-0001 input_tokens=7", run.Output, StringComparison.Ordinal);
            // The traced method's own span records the ChatResponse it returned as Python does (text out, the rest in mirascope.response.*).
            Assert.Contains("span Books.RecommendAsync parent=- model= input_tokens= response_model=book-model-0001 output=Try A Wizard of Earthsea.", run.Output, StringComparison.Ordinal);
            Assert.Contains("answer: Try A Wizard of Earthsea.", run.Output, StringComparison.Ordinal);
            // The console tree of Mirascope.Ops.Export printed the same trace ("chat book-model": the shape keeps the first word).
            Assert.Equal("Books.RecommendAsync\n  chat\n", TraceTreeOutput.Shape(run.Output, new[] { "Books.RecommendAsync", "chat" }));
        }
    }
}
