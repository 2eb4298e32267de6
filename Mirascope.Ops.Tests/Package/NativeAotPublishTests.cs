using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// A brand-new console app with the package, [Trace] methods and an in-program listener, published with
    /// <c>PublishAot=true</c> and warnings as errors: the publish reports no trimming or AOT warning, and the native
    /// binary records exactly the span attributes (argument and output JSON included) that the JIT build records.
    /// </summary>
    [Collection(PackageCollection.Name)]
    [Trait("Category", "Package")]
    public sealed class NativeAotPublishTests
    {
        // The first native publish on a machine restores the ILCompiler packages, which takes a while.
        private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
        private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

        private readonly PackageFeed _feed;
        private readonly ITestOutputHelper _log;

        public NativeAotPublishTests(PackageFeed feed, ITestOutputHelper log)
        {
            _feed = feed;
            _log = log;
        }

        [Fact]
        public void Native_aot_publish_has_no_trim_or_aot_warning_and_records_what_the_jit_build_records()
        {
            _feed.EnsurePacked();
            var app = ConsumerProject.Create(_feed, _log, "AotShop");
            app.AddPackage().EnsureSuccess();
            app.WriteSource("Program.cs", NativeAotProgram.Source);
            app.WriteSource("FodyWeavers.xml", "<Weavers><Mirascope.Ops /></Weavers>");

            app.Build("-p:TreatWarningsAsErrors=true").EnsureSuccess();
            var jit = app.RunApp(app.OutputAssembly("net10.0")).EnsureSuccess();
            var jitSpans = Spans(jit.Output);
            AssertRecordedForReal(jitSpans);
            AssertTrimmable(Path.Combine(Path.GetDirectoryName(app.OutputAssembly("net10.0"))!, "Mirascope.Ops.dll"));

            var published = Path.Combine(_feed.Root, "AotShop-native");
            var publish = DotnetCli.Run(_log, app.Directory, new[]
            {
                "publish", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-p:PublishAot=true",
                "-p:TreatWarningsAsErrors=true", "-o", published,
            }, timeout: PublishTimeout).EnsureSuccess();
            var trimWarnings = publish.Output.Split('\n').Where(l => Regex.IsMatch(l, @"\b(warning|error)\s+IL[23]\d{3}\b")).ToList();
            Assert.True(trimWarnings.Count == 0, "The native publish reported trimming/AOT diagnostics:\n" + string.Join("\n", trimWarnings));
            Assert.True(publish.Warnings.Count == 0, "The native publish warned:\n" + string.Join("\n", publish.Warnings));

            var binary = Path.Combine(published, "AotShop" + (OperatingSystem.IsWindows() ? ".exe" : string.Empty));
            Assert.True(File.Exists(binary), "No native binary was published:\n" + publish.Output);
            Assert.False(File.Exists(Path.Combine(published, "Mirascope.Ops.dll")), "A native publish should compile the runtime in, not copy it.");
            _log.WriteLine($"native publish: {publish.Elapsed.TotalSeconds:0.0} s, binary {new FileInfo(binary).Length:N0} bytes");

            var native = RunNative(binary);
            Assert.True(native.ExitCode == 0, $"The native binary exited with {native.ExitCode}:\n{native.Output}");

            // The same spans, attribute for attribute; and the program itself printed the same results.
            var nativeSpans = Spans(native.Output);
            Assert.True(jitSpans.Count == nativeSpans.Count, $"JIT spans: {jitSpans.Count}, native spans: {nativeSpans.Count}\n{native.Output}");
            for (var i = 0; i < jitSpans.Count; i++)
            {
                Assert.True(jitSpans[i] == nativeSpans[i], $"Span {i} differs.\nJIT:    {jitSpans[i]}\nnative: {nativeSpans[i]}");
            }

            Assert.Equal(Results(jit.Output), Results(native.Output));
        }

        /// <summary>
        /// The JIT spans really hold the values (so equality with the native ones means something): nested objects,
        /// collections, anonymous types and derived types as JSON, not placeholders.
        /// </summary>
        private static void AssertRecordedForReal(IReadOnlyList<string> spans)
        {
            Assert.Equal(NativeAotProgram.SpanNames, spans.Select(s => JsonDocument.Parse(s).RootElement.GetProperty("name").GetString()).ToArray());
            var checkout = Tag(spans[0], "mirascope.trace.arg_values");
            Assert.Contains("\"customer\":{\"Name\":\"Ada\",\"Address\":{\"Street\":\"1 Loop\",\"City\":\"Lyon\"},\"Tier\":\"Gold\"}", checkout);
            Assert.Contains("\"Lines\":[{\"Sku\":\"widget\",\"Quantity\":2,\"Price\":3.5}", checkout);
            Assert.Contains("\"coupon_code\":\"SAVE\",\"Card\":\"[redacted]\",\"Label\":\"label\"", checkout);
            Assert.Contains("\"When\":\"2024-01-02T03:04:05.0000000Z\"", checkout);
            Assert.Contains("\"at\":{\"X\":1,\"Y\":2},\"access\":\"Read, Write\",\"shape\":{\"Radius\":2}", checkout);
            Assert.Contains("\"Inner\":{\"Flag\":true,\"Where\":{\"Street\":\"3 Loop\",\"City\":\"Nice\"}}", Tag(spans[1], "mirascope.trace.arg_values"));
            Assert.Contains("\"Secret\":42", Tag(spans[2], "mirascope.trace.arg_values"));
            Assert.Contains("\"Tier\":\"Silver\"", Tag(spans[4], "mirascope.trace.output"));
            Assert.Equal("[5,{\"Value\":{\"Sku\":\"boxed\",\"Quantity\":1,\"Price\":2}}]", Tag(spans[5], "mirascope.trace.output"));
            Assert.Contains("\"pairs\":[{\"Key\":\"k\",\"Value\":1}]", Tag(spans[8], "mirascope.trace.arg_values"));
            // The type with a [DynamicallyAccessedMembers] field still records its other members natively.
            Assert.Equal("{\"accessor\":{\"Name\":\"lines\"}}", Tag(spans[10], "mirascope.trace.arg_values"));
            Assert.All(spans, s => Assert.DoesNotContain("not recorded", s));
        }

        /// <summary>The runtime's net8.0 assembly declares itself trimmable (what the SDK's IsTrimmable writes).</summary>
        private static void AssertTrimmable(string runtimePath)
        {
            using var stream = File.OpenRead(runtimePath);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            var found = new List<string>();
            foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
            {
                var attribute = metadata.GetCustomAttribute(handle);
                if (attribute.Constructor.Kind != HandleKind.MemberReference)
                {
                    continue;
                }

                var parent = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                if (parent.Kind != HandleKind.TypeReference || metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)parent).Name) != "AssemblyMetadataAttribute")
                {
                    continue;
                }

                var blob = metadata.GetBlobReader(attribute.Value);
                blob.ReadUInt16();
                found.Add(blob.ReadSerializedString() + "=" + blob.ReadSerializedString());
            }

            Assert.Contains("IsTrimmable=True", found);
        }

        private static List<string> Spans(string output) => Lines(output).Where(l => l.StartsWith(NativeAotProgram.SpanPrefix, StringComparison.Ordinal))
            .Select(l => l.Substring(NativeAotProgram.SpanPrefix.Length)).ToList();

        private static List<string> Results(string output) => Lines(output).Where(l => !l.StartsWith(NativeAotProgram.SpanPrefix, StringComparison.Ordinal)).ToList();

        private static IEnumerable<string> Lines(string output) => output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);

        private static string Tag(string span, string key) =>
            JsonDocument.Parse(span).RootElement.GetProperty("tags").GetProperty(key).GetString() ?? string.Empty;

        /// <summary>Runs the published binary itself (DotnetCli runs only the dotnet host), with a time limit.</summary>
        private CommandResult RunNative(string binary)
        {
            var start = new ProcessStartInfo(binary)
            {
                WorkingDirectory = Path.GetDirectoryName(binary)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var stopwatch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(RunTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{binary} did not finish within {RunTimeout}.");
            }

            process.WaitForExit();
            var result = new CommandResult(binary, start.WorkingDirectory, process.ExitCode, stdout.Result + stderr.Result, stopwatch.Elapsed);
            _log.WriteLine($"[{result.Elapsed.TotalSeconds:0.0} s, exit {result.ExitCode}] {binary}");
            return result;
        }
    }
}
