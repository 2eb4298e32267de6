using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using Fody;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>Runs alone: a pipeline another test configured without a span filter would take these annotations too.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class CloudRequestsCollection
    {
        public const string Name = "Cloud functions and annotations";
    }

    /// <summary>
    /// A <c>[Version]</c> method registers itself with the configured Cloud receiver (<c>GET /functions/hash/{hash}</c>,
    /// then <c>POST /functions</c>) once per process, with the code and signature the build stamped, off the call's
    /// path; nothing is sent without an API key; a dead receiver changes nothing for the call. Against a real loopback
    /// Kestrel receiver (<see cref="CloudApiReceiver"/>).
    /// </summary>
    [Collection(CloudRequestsCollection.Name)]
    public class FunctionRegistrationTests
    {
        internal const string Source = @"
using Mirascope.Ops;

namespace NAMESPACE
{
    public class Recommender
    {
        private const string Intro = ""Recommend a "";

        /// <summary>Recommends books based on <paramref name=""genre""/> genre</summary>
        [Version(Name = ""book_recommender"", Tags = [""production"", ""ml""], Metadata = [""owner=team-ml"", ""ticket=ENG-1234""])]
        public string Recommend(string genre)
        {
            // Comments stay in the code a person reads.
            var prompt = Prompt(genre);
            return prompt;
        }

        private string Prompt(string genre) => Format(Intro + genre + "" book"");

        private static string Format(string text)
        {
            return text.Trim();
        }
    }
}
";

        /// <summary>The code of Recommend as registered: its lines as written, then its callees' in the hash's order, then the values it reads.</summary>
        internal static string ExpectedCode(string ns) =>
            "public string Recommend(string genre)\n{\n    // Comments stay in the code a person reads.\n    var prompt = Prompt(genre);\n    return prompt;\n}"
            + "\n\nprivate static string Format(string text)\n{\n    return text.Trim();\n}"
            + "\n\nprivate string Prompt(string genre) => Format(Intro + genre + \" book\");"
            + "\n\n// " + ns + ".Recommender\nconst string Intro = \"Recommend a \";";

        /// <summary>Compiles and weaves <see cref="Source"/> in its own namespace (its own hash) and returns a Recommend to call.</summary>
        internal static (Func<string, string> Recommend, MethodInfo Method, string Namespace) Weave(string name)
        {
            var ns = "Books" + name + Guid.NewGuid().ToString("N").Substring(0, 8);
            var path = SourceCompiler.Compile(Source.Replace("NAMESPACE", ns), ns, optimize: false,
                sourcePath: Path.Combine(Path.GetTempPath(), "mirascope-ops-tests", ns + ".cs"));
            var weaver = new ModuleWeaver { DocumentationFilePath = Path.ChangeExtension(path, ".xml") };
            var result = weaver.ExecuteTestRun(path, runPeVerify: false);
            Assert.Empty(result.Errors);
            var type = result.Assembly.GetType(ns + ".Recommender")!;
            var instance = Activator.CreateInstance(type)!;
            var method = type.GetMethod("Recommend")!;
            return (genre => (string)method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, new object[] { genre }, null)!, method, ns);
        }

        internal static OpsPipeline Cloud(CloudApiReceiver receiver, Uri? baseUrl = null, Action<OpsOptions>? configure = null) =>
            Pipelines.Build(options =>
            {
                options.ApiKey = receiver.ApiKey;
                options.BaseUrl = baseUrl ?? receiver.BaseUrl;
                options.ServiceName = "cloud-requests-tests";
                options.ScheduledDelay = TimeSpan.FromMinutes(1);
                options.Retry = Pipelines.FastRetry;
                options.ExportTimeout = TimeSpan.FromSeconds(2);
                options.AnnotationRetryDelays = new[] { TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200) };
                configure?.Invoke(options);
            });

        [Fact]
        public async Task A_versioned_method_called_three_times_registers_once_with_its_build_time_code_signature_and_dependencies()
        {
            await using var receiver = await CloudApiReceiver.StartAsync();
            var (recommend, method, ns) = Weave("Registered");
            using var pipeline = Cloud(receiver);

            for (var i = 0; i < 3; i++)
            {
                Assert.Equal("Recommend a fantasy book", recommend("fantasy"));
            }

            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(10)));
            var version = MirascopeOps.VersionOf(method)!;
            var lookups = receiver.RequestsTo("GET", "functions/hash/");
            var created = Assert.Single(receiver.RequestsTo("POST", "functions"));
            Assert.Equal("/api/v2/functions/hash/" + version.Hash, Assert.Single(lookups).Path);
            Assert.Equal(404, lookups[0].Status);
            Assert.Equal(200, created.Status);
            Assert.True(lookups[0].ReceivedUtc <= created.ReceivedUtc);
            Assert.Equal("application/json", created.ContentType?.Split(';')[0]);
            Assert.Equal("Bearer " + receiver.ApiKey, created.Authorization);

            var runtime = typeof(MirascopeOps).Assembly.GetName();
            var expected = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["code"] = ExpectedCode(ns),
                ["hash"] = version.Hash,
                ["signature"] = "public string Recommend(string genre)",
                ["signatureHash"] = version.SignatureHash,
                ["name"] = "book_recommender",
                ["language"] = "csharp",
                ["description"] = "Recommends books based on genre genre",
                ["tags"] = new[] { "ml", "production" },
                ["metadata"] = new Dictionary<string, string> { ["owner"] = "team-ml", ["ticket"] = "ENG-1234" },
                // The assembly's non-framework references: here the runtime only, by assembly name and version, as a unit test
                // weaves with no reference paths to find its package in (a build names the package id and version).
                ["dependencies"] = new Dictionary<string, object> { [runtime.Name!] = new Dictionary<string, object?> { ["version"] = runtime.Version!.ToString(), ["extras"] = null } },
            });
            Assert.Equal(Normalized(expected), Normalized(created.Body));

            // The same text through the public API (VersionAttribute.Code / Signature, stamped by the weaver).
            Assert.Equal(ExpectedCode(ns), version.Code);
            Assert.Equal("public string Recommend(string genre)", version.Signature);

            // Neither the code nor the dependencies ride on the spans.
            var counts = pipeline.CloudRequests.Single().Counts;
            Assert.Equal(1, counts.FunctionsRegistered);
            Assert.Equal(0, counts.FunctionRegistrationsFailed);
            pipeline.Shutdown(TimeSpan.FromSeconds(5));
            Assert.Single(receiver.RequestsTo("POST", "functions"));
        }

        [Fact]
        public async Task A_function_the_receiver_already_has_is_looked_up_and_not_created_again()
        {
            await using var receiver = await CloudApiReceiver.StartAsync();
            var (recommend, method, _) = Weave("Known");
            receiver.Seed(MirascopeOps.VersionOf(method)!.Hash!);
            using var pipeline = Cloud(receiver);

            recommend("poetry");
            recommend("poetry");
            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(10)));

            Assert.Equal(200, Assert.Single(receiver.RequestsTo("GET", "functions/hash/")).Status);
            Assert.Empty(receiver.RequestsTo("POST", "functions"));
            Assert.Equal(1, pipeline.CloudRequests.Single().Counts.FunctionsAlreadyKnown);
        }

        [Fact]
        public async Task Without_an_API_key_nothing_is_sent_and_an_annotation_is_dropped_and_counted()
        {
            await using var receiver = await CloudApiReceiver.StartAsync();
            var (recommend, _, _) = Weave("NoKey");
            using var pipeline = Pipelines.Build(options =>
            {
                options.BaseUrl = receiver.BaseUrl;
                options.UseConsole(TextWriter.Null);
            });

            var trace = MirascopeOps.Wrapped(() => recommend("history"));
            Assert.Equal("Recommend a history book", trace.Result);
            Assert.NotEmpty(trace.SpanId);
            trace.Annotate(AnnotationLabel.Pass);
            pipeline.ForceFlush(TimeSpan.FromSeconds(10));
            await Task.Delay(300);

            Assert.Empty(pipeline.CloudRequests);
            Assert.Empty(receiver.Requests);

            // A call without a span has nothing to annotate: dropped, counted, and said so.
            using var events = new OpsEvents();
            var before = Mirascope.Ops.Annotations.AnnotationSenders.DroppedWithoutReceiver;
            Assert.False(MirascopeOps.Wrapped(() => { }).Annotate(AnnotationLabel.Fail));
            Assert.False(MirascopeOps.Annotate("not-a-trace-id", "nor-a-span", AnnotationLabel.Fail));
            Assert.True(Mirascope.Ops.Annotations.AnnotationSenders.DroppedWithoutReceiver >= before + 2);
            Assert.Contains(events.TextsOf(204), t => t.Contains("has no span"));
        }

        [Fact]
        public async Task A_receiver_that_is_down_never_affects_the_call()
        {
            await using var receiver = await CloudApiReceiver.StartAsync();
            var (recommend, _, _) = Weave("Down");
            using var events = new OpsEvents();
            var down = new Uri($"http://127.0.0.1:{TraceReceiver.UnusedPort()}/api/v2");
            using var pipeline = Cloud(receiver, down);
            Assert.Equal("Recommend a crime book", recommend("crime"));   // warm: JIT, first span

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal("Recommend a crime book", recommend("crime"));
            }

            var trace = MirascopeOps.Wrapped(() => recommend("crime"));
            Assert.True(trace.Annotate(AnnotationLabel.Fail, "never arrives"));
            clock.Stop();
            // Nothing waits for the receiver on the call's path (one failed connection alone takes longer on some hosts).
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"20 calls and an annotation took {clock.Elapsed}");

            var counts = pipeline.CloudRequests.Single().Counts;
            Assert.True(await CloudApiReceiver.WaitUntilAsync(() => counts.FunctionRegistrationsFailed == 1 && counts.AnnotationsFailed == 1));
            Assert.Contains(events.TextsOf(107), t => t.Contains("function registration") && t.Contains("connection failed"));
            Assert.Contains(events.TextsOf(107), t => t.Contains("annotation") && t.Contains(trace.SpanId));

            // Later calls within the retry interval do not try again.
            recommend("crime");
            pipeline.ForceFlush(TimeSpan.FromSeconds(5));
            Assert.Equal(1, counts.FunctionRegistrationsFailed);

            var shutdown = Stopwatch.StartNew();
            pipeline.Shutdown(TimeSpan.FromSeconds(2));
            Assert.True(shutdown.Elapsed < TimeSpan.FromSeconds(6), $"shutdown took {shutdown.Elapsed}");
            Assert.Empty(receiver.Requests);
        }

        [Fact]
        public async Task Requests_still_queued_when_shutdown_runs_out_of_time_are_counted_as_dropped_at_shutdown()
        {
            await using var receiver = await CloudApiReceiver.StartAsync();
            var (recommend, _, _) = Weave("Silent");
            // A receiver that accepts connections and never answers: every request waits for its timeout.
            using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            silent.Start();
            var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
            using var pipeline = Cloud(receiver, new Uri($"http://127.0.0.1:{port}/api/v2"));

            var traces = new List<TracedCall>();
            for (var i = 0; i < 5; i++)
            {
                var trace = MirascopeOps.Wrapped(() => recommend("crime"));
                Assert.True(trace.Annotate(AnnotationLabel.Pass));
                traces.Add(trace);
            }

            pipeline.Shutdown(TimeSpan.FromMilliseconds(300));

            // One registration and five annotations were queued: each one is accounted for, none silently.
            var counts = pipeline.CloudRequests.Single().Counts;
            Assert.True(counts.Annotations.AtShutdown + counts.Registrations.AtShutdown >= 1, counts.ToString());
            Assert.Equal(6, counts.Registrations.Delivered + counts.Registrations.Failed + counts.Annotations.Delivered + counts.Annotations.Failed);
            Assert.Equal(0, counts.Registrations.Pending + counts.Annotations.Pending);
        }

        [Theory]
        [InlineData("Debug")]
        [InlineData("Release")]
        public void An_async_versioned_method_gets_its_lines_as_written_in_Debug_and_Release(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var version = MirascopeOps.VersionOf(woven.Type("AsyncFunctions").GetMethod("VersionedAsync")!)!;

            Assert.Equal("public async Task<int> VersionedAsync(int x)", version.Signature);
            Assert.Equal(
                "public async Task<int> VersionedAsync(int x)\n{\n    await Task.Yield();\n    return x + Helper(x);\n}\n\nprivate static int Helper(int x) => x * 10;",
                version.Code);
        }

        private static string Normalized(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
    }
}
