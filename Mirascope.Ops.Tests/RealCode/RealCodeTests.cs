using System;
using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Mirascope.Ops.Tests.RealCode
{
    /// <summary>
    /// Issue 14: recording runs none of the traced program's code. Whole public libraries from NuGet, woven with the
    /// real weaver as <c>&lt;Mirascope.Ops TraceAssembly="true" Visibility="All" /&gt;</c> would (every method of every
    /// type), must behave exactly as untraced, whoever listens. The driver program (RealCode/Driver, built by the
    /// fixture against the Mirascope.Ops.dll these tests reference) runs a fixed list of cases on one library and
    /// writes what each produced (an exception is written as its result); it runs in a child process, so a stack
    /// overflow fails a test with its exit code and stack instead of killing the test host. What each driver exercises:
    /// <list type="bullet">
    /// <item><b>markdig</b> (Markdig 1.6.0, MarkdigCases.cs): eleven documents (empty, headings, emphasis edge cases,
    /// nested and lazy lists and quotes, reference links defined after use, entities, code spans and fences, HTML,
    /// pipe and grid tables, footnotes, front matter, abbreviations, containers, math, smarty pants, emoji, alerts,
    /// CRLF and Unicode, 40-deep quotes and 60 nested brackets) rendered to HTML by the CommonMark and the advanced
    /// pipelines, to plain text, round-tripped with trivia, and their syntax trees dumped. Its AST objects have parent
    /// links (cycles), computed and lazily created properties and enumerable containers; StringSlice structs point into
    /// the source; processors holding the whole parser state are passed to nearly every method.</item>
    /// <item><b>yaml</b> (YamlDotNet 18.1.0, YamlCases.cs): anchors, aliases, merge keys, tags, block and flow scalars,
    /// complex keys, several documents and three malformed inputs, read as parser events (ToString overrides), loaded
    /// into the representation model (aliases are shared nodes) and saved back, deserialized into typed classes and
    /// dictionaries and serialized to YAML and JSON; a shared graph, a cycle, the emitter driven by hand, and an object
    /// of the program whose getters act on each read (a ticket counter, a read log), serialized by the library.</item>
    /// <item><b>scriban</b> (Scriban.Signed 7.5.3, ScribanCases.cs): Scriban and Liquid templates parsed (syntax nodes
    /// with parent links and ToString overrides that print script through the woven printer; some throw), printed
    /// back, rendered against script objects and the program's .NET objects (one getter counts visits) through a
    /// TemplateContext, with includes from a loader, functions, pipes, loops, captures, an async render, and errors at
    /// parse and at run time.</item>
    /// </list>
    /// Each library is run untraced (the reference), then woven: with nobody listening, with a listener sampling
    /// PropagationData, and with one sampling AllDataAndRecorded (arguments and outputs recorded). The output must be
    /// identical each time; spans must have been produced, and arg_values recorded in AllData mode; the woven
    /// libraries must bind to the tests' Mirascope.Ops; every woven method must JIT-compile. Separately, recording
    /// (arguments, outputs, errors) must call no woven method: the same spans by name as with PropagationData.
    /// Run only these: <c>dotnet test Mirascope.Ops.Weaver.sln --filter Category=RealCode</c> (about half a minute).
    /// </summary>
    [Trait("Category", "RealCode")]
    public class RealCodeTests : IClassFixture<RealCodeFixture>
    {
        private readonly RealCodeFixture _fixture;
        private readonly ITestOutputHelper _output;

        public RealCodeTests(RealCodeFixture fixture, ITestOutputHelper output)
        {
            _fixture = fixture;
            _output = output;
        }

        /// <summary>The driver's name of each library and its assembly.</summary>
        public static TheoryData<string, string> Libraries => new TheoryData<string, string>
        {
            { "markdig", "Markdig" },
            { "yaml", "YamlDotNet" },
            { "scriban", "Scriban.Signed" },
        };

        /// <summary>Each library and at least how many of its methods weaving it whole must trace.</summary>
        public static TheoryData<string, string, int> WovenLibraries => new TheoryData<string, string, int>
        {
            { "markdig", "Markdig", 800 },
            { "yaml", "YamlDotNet", 800 },
            { "scriban", "Scriban.Signed", 1500 },
        };

        [Theory]
        [MemberData(nameof(WovenLibraries))]
        public void The_whole_library_weaves_without_errors_and_every_method_compiles(string library, string assemblyName, int minimumMethods)
        {
            var woven = _fixture.Woven(library, assemblyName);
            _output.WriteLine($"{woven.Report} ({woven.Weaving.TotalMilliseconds:0} ms with loading and writing)");
            Assert.True(woven.Result.Errors.Count == 0, "the weaver reported errors:\n" + string.Join("\n", woven.Result.Errors.Select(e => e.Text)));
            Assert.True(woven.WovenMethods >= minimumMethods, $"only {woven.WovenMethods} methods of {assemblyName} were woven: {woven.Report}");

            var runtime = woven.Result.Assembly.GetReferencedAssemblies().Single(a => a.Name == "Mirascope.Ops");
            Assert.Equal(typeof(TraceAttribute).Assembly.GetName().Version, runtime.Version);

            var failures = MethodJitter.CompileAll(woven.Result.Assembly, out var compiled);
            _output.WriteLine($"{compiled} method bodies JIT-compiled");
            Assert.True(failures.Count == 0, $"{failures.Count} woven method(s) of {assemblyName} do not compile:\n" + string.Join("\n", failures.Take(20)));
            Assert.True(compiled >= woven.WovenMethods, $"only {compiled} bodies compiled for {woven.WovenMethods} woven methods");
        }

        [Fact]
        public void A_strong_named_library_woven_whole_references_only_strong_named_assemblies()
        {
            // Scriban.Signed is signed: .NET Framework loads it only if every assembly it references is strong-named
            // too, Mirascope.Ops included (an unsigned reference fails with FileLoadException 0x80131044).
            var woven = _fixture.Woven("scriban", "Scriban.Signed");
            var assembly = woven.Result.Assembly.GetName();
            Assert.NotEmpty(assembly.GetPublicKeyToken() ?? Array.Empty<byte>());

            var references = woven.Result.Assembly.GetReferencedAssemblies();
            Assert.Contains(references, r => r.Name == "Mirascope.Ops");
            Assert.All(references, r => Assert.True(r.GetPublicKeyToken() is { Length: 8 }, $"{r.FullName} has no public key token"));
            Assert.Equal(
                typeof(TraceAttribute).Assembly.GetName().GetPublicKeyToken(),
                references.Single(r => r.Name == "Mirascope.Ops").GetPublicKeyToken());
        }

        [Theory]
        [MemberData(nameof(Libraries))]
        public void With_nobody_listening_the_woven_library_behaves_as_untraced(string library, string assemblyName)
        {
            var run = RunAndCompare(library, assemblyName, "none");
            Assert.Equal(0, run.Count("started"));
        }

        [Theory]
        [MemberData(nameof(Libraries))]
        public void With_a_propagation_listener_the_woven_library_behaves_as_untraced(string library, string assemblyName)
        {
            var run = RunAndCompare(library, assemblyName, "propagation");
            Assert.True(run.Count("stopped") > 1000, $"only {run.Count("stopped")} spans were produced");
            Assert.Equal(0, run.Count("with_arg_values"));
        }

        [Theory]
        [MemberData(nameof(Libraries))]
        public void While_recording_arguments_and_outputs_the_woven_library_behaves_as_untraced(string library, string assemblyName)
        {
            var run = RunAndCompare(library, assemblyName, "alldata");
            Assert.True(run.Count("stopped") > 1000, $"only {run.Count("stopped")} spans were produced");
            Assert.True(run.Count("with_arg_values") > run.Count("stopped") / 10, $"only {run.Count("with_arg_values")} of {run.Count("stopped")} spans recorded arg_values");

            // The share of recorded values that carry data (docs/benchmarks.md, "informative values").
            _output.WriteLine($"informative values: {run.Count("informative_values")} of {run.Count("values")} ({100.0 * run.Count("informative_values") / Math.Max(1, run.Count("values")):0.0}%)");
        }

        /// <summary>
        /// Recording that runs the library's code (getters, ToString, enumerators, an exception's Message) calls its
        /// woven methods, which start spans of their own: the spans must be the same as when nothing is recorded.
        /// </summary>
        [Theory]
        [MemberData(nameof(Libraries))]
        public void Recording_arguments_outputs_and_errors_calls_no_woven_method(string library, string assemblyName)
        {
            _fixture.EnsureBuilt();
            var propagation = _fixture.Traced(library, assemblyName, "propagation").EnsureCompleted();
            var recording = _fixture.Traced(library, assemblyName, "alldata").EnsureCompleted();
            _output.WriteLine($"spans: {propagation.Count("stopped")} with PropagationData, {recording.Count("stopped")} with AllDataAndRecorded ({recording.Count("errors")} with status Error)");
            AssertSameSpans(propagation, recording);
        }

        private DriverRun RunAndCompare(string library, string assemblyName, string mode)
        {
            _fixture.EnsureBuilt();
            var woven = _fixture.Woven(library, assemblyName);
            Assert.True(woven.Result.Errors.Count == 0, "the weaver reported errors:\n" + string.Join("\n", woven.Result.Errors.Select(e => e.Text)));
            var untraced = _fixture.Untraced(library).EnsureCompleted();
            var run = _fixture.Traced(library, assemblyName, mode);
            _output.WriteLine($"untraced: {untraced.Command.Elapsed.TotalSeconds:0.0} s; {run.Label}: {run.Command.Elapsed.TotalSeconds:0.0} s, exit {run.Command.ExitCode}");
            foreach (var pair in run.Values)
            {
                _output.WriteLine($"{pair.Key}: {pair.Value}");
            }

            foreach (var sample in run.Samples)
            {
                _output.WriteLine("sample arg_values: " + sample);
            }

            run.EnsureCompleted();
            Assert.True(run.Values.TryGetValue("ops_mvid", out var mvid) && mvid == RealCodeFixture.OpsMvid.ToString(),
                $"the driver ran with another Mirascope.Ops ({run.Values.GetValueOrDefault("ops_location")}) than the one the tests reference ({RealCodeFixture.OpsAssemblyPath})");
            AssertSameOutput(untraced, run);
            return run;
        }

        private static void AssertSameOutput(DriverRun expected, DriverRun actual)
        {
            if (expected.Output == actual.Output)
            {
                return;
            }

            var wanted = Cases(expected.Output!);
            var got = Cases(actual.Output!);
            var differing = wanted.Keys.Union(got.Keys)
                .Where(name => !wanted.TryGetValue(name, out var a) || !got.TryGetValue(name, out var b) || a != b)
                .ToList();
            var first = differing[0];
            throw new XunitException(
                $"the woven library ({actual.Label}) behaved differently from the untraced one in {differing.Count} of {wanted.Count} cases: "
                + string.Join(", ", differing.Take(12).Select(d => "'" + d + "'")) + (differing.Count > 12 ? ", …" : "")
                + $"\nfirst, '{first}':\n--- untraced:\n{DriverRun.Abbreviate(wanted.GetValueOrDefault(first) ?? "(missing)", 1500)}"
                + $"\n--- {actual.Label}:\n{DriverRun.Abbreviate(got.GetValueOrDefault(first) ?? "(missing)", 1500)}");
        }

        /// <summary>The driver's output, by case (each case starts with a <c>=== name</c> line).</summary>
        private static Dictionary<string, string> Cases(string output)
        {
            var cases = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var block in ("\n" + output).Split("\n=== ", StringSplitOptions.RemoveEmptyEntries))
            {
                var newline = block.IndexOf('\n');
                var name = newline < 0 ? block : block[..newline];
                cases[name] = newline < 0 ? "" : block[(newline + 1)..];
            }

            return cases;
        }

        private static void AssertSameSpans(DriverRun propagation, DriverRun recording)
        {
            var names = propagation.SpansByName.Keys.Union(recording.SpansByName.Keys);
            var differences = names
                .Select(n => (Name: n, Propagation: propagation.SpansByName.GetValueOrDefault(n), Recording: recording.SpansByName.GetValueOrDefault(n)))
                .Where(d => d.Propagation != d.Recording)
                .OrderByDescending(d => Math.Abs(d.Recording - d.Propagation))
                .ToList();
            if (differences.Count == 0)
            {
                return;
            }

            throw new XunitException(
                $"recording arguments, outputs and errors called woven methods: {recording.Count("stopped")} spans against {propagation.Count("stopped")} with PropagationData,"
                + $" {differences.Count} span name(s) with other counts, most different first (propagation → recording):\n"
                + string.Join("\n", differences.Take(15).Select(d => $"  {d.Name}: {d.Propagation} → {d.Recording}")));
        }
    }
}
