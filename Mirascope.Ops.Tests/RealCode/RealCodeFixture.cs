using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using Fody;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tests.Package;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Mirascope.Ops.Tests.RealCode
{
    /// <summary>
    /// What the RealCode tests share: the driver program (RealCode/Driver) built once into a temporary folder against
    /// the Mirascope.Ops.dll these tests reference; per library, a copy of that build whose library DLL is replaced by
    /// the woven one; and the runs of the driver, each in a child process, done once and reused by the tests.
    /// </summary>
    public sealed class RealCodeFixture : IDisposable
    {
        /// <summary>How long one run of the driver may take before it counts as hung.</summary>
        private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

        /// <summary>A crashing driver is reported by its exit code and stack; no dump (the test host's settings may ask for one).</summary>
        private static readonly IReadOnlyDictionary<string, string> NoDumps = new Dictionary<string, string>
        {
            ["DOTNET_DbgEnableMiniDump"] = "0",
            ["DOTNET_EnableCrashReport"] = "0",
        };

        private readonly Lazy<CommandResult> _build;
        private readonly ConcurrentDictionary<string, Lazy<WovenLibrary>> _woven = new ConcurrentDictionary<string, Lazy<WovenLibrary>>();
        private readonly ConcurrentDictionary<string, Lazy<DriverRun>> _runs = new ConcurrentDictionary<string, Lazy<DriverRun>>();

        public RealCodeFixture()
        {
            Root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mirascope-ops-realcode-" + Guid.NewGuid().ToString("N")[..8])).FullName;
            _build = new Lazy<CommandResult>(Build);
        }

        /// <summary>The temporary folder: the driver's sources and build, the woven copies, the runs' outputs.</summary>
        public string Root { get; }

        public string BuildOutput => Path.Combine(Root, "build", "out");

        /// <summary>The runtime the tests reference, which the woven libraries must bind to.</summary>
        public static string OpsAssemblyPath => typeof(TraceAttribute).Assembly.Location;

        public static Guid OpsMvid => typeof(TraceAttribute).Assembly.ManifestModule.ModuleVersionId;

        /// <summary>Builds the driver (once); fails the calling test with the build's output if that failed.</summary>
        public CommandResult EnsureBuilt() => _build.Value.EnsureSuccess();

        /// <summary>The library woven whole (once), in its own copy of the driver's build.</summary>
        public WovenLibrary Woven(string library, string assemblyName) =>
            _woven.GetOrAdd(library, _ => new Lazy<WovenLibrary>(() => Weave(library, assemblyName))).Value;

        /// <summary>The driver run on the library untouched (the reference output).</summary>
        public DriverRun Untraced(string library) =>
            _runs.GetOrAdd(library + "/untraced", _ => new Lazy<DriverRun>(() => Run(library, "none", BuildOutput, "untraced"))).Value;

        /// <summary>The driver run on the woven library in <paramref name="mode"/> (none, propagation, alldata).</summary>
        public DriverRun Traced(string library, string assemblyName, string mode) =>
            _runs.GetOrAdd(library + "/" + mode, _ => new Lazy<DriverRun>(() => Run(library, mode, Woven(library, assemblyName).Directory, "woven-" + mode))).Value;

        private CommandResult Build()
        {
            var sources = Path.Combine(RepositoryPaths.Root, "Mirascope.Ops.Tests", "RealCode", "Driver");
            var project = Directory.CreateDirectory(Path.Combine(Root, "build", "src")).FullName;
            foreach (var file in Directory.EnumerateFiles(sources).Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(project, Path.GetFileName(file)));
            }

            // No Directory.Build.props of the repository above the temporary folder: the project says all it needs.
            return DotnetCli.Run(new BufferLog(), project, new[]
            {
                "build", "RealCode.Driver.csproj", "-c", "Release", "-o", BuildOutput, "-p:MirascopeOpsDll=" + OpsAssemblyPath,
            });
        }

        private WovenLibrary Weave(string library, string assemblyName)
        {
            EnsureBuilt();
            var directory = Path.Combine(Root, "woven-" + library);
            CopyDirectory(BuildOutput, directory);
            var libraryPath = Path.Combine(directory, assemblyName + ".dll");
            // What <Mirascope.Ops TraceAssembly="true" Visibility="All" /> in FodyWeavers.xml says: every method of every type.
            var weaver = new ModuleWeaver { Config = new XElement("Mirascope.Ops", new XAttribute("TraceAssembly", "true"), new XAttribute("Visibility", "All")) };
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var result = weaver.ExecuteTestRun(libraryPath, runPeVerify: false, writeSymbols: false);
            watch.Stop();
            if (result.Errors.Count == 0)
            {
                File.Copy(result.AssemblyPath, libraryPath, overwrite: true);
            }

            return new WovenLibrary(directory, libraryPath, result, watch.Elapsed);
        }

        private DriverRun Run(string library, string mode, string directory, string label)
        {
            EnsureBuilt();
            var output = Path.Combine(Root, "runs", library + "-" + label + ".txt");
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            var log = new BufferLog();
            var command = DotnetCli.Run(log, directory, new[] { Path.Combine(directory, "RealCode.Driver.dll"), library, mode, output }, NoDumps, RunTimeout);
            return new DriverRun(label, command, File.Exists(output) ? File.ReadAllText(output) : null, File.Exists(output + ".spans") ? File.ReadAllText(output + ".spans") : null);
        }

        private static void CopyDirectory(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
            }
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is not worth failing the run for.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private sealed class BufferLog : ITestOutputHelper
        {
            public void WriteLine(string message)
            {
            }

            public void WriteLine(string format, params object[] args)
            {
            }
        }
    }

    /// <summary>One library woven whole with the real weaver, in a folder beside the driver.</summary>
    public sealed class WovenLibrary
    {
        public WovenLibrary(string directory, string path, TestResult result, TimeSpan weaving)
        {
            Directory = directory;
            Path = path;
            Result = result;
            Weaving = weaving;
        }

        public string Directory { get; }

        public string Path { get; }

        public TestResult Result { get; }

        public TimeSpan Weaving { get; }

        /// <summary>The weaver's summary line, <c>Mirascope.Ops: wove N method(s) ...</c>.</summary>
        public string Report => Result.Messages.Select(m => m.Text).FirstOrDefault(t => t.StartsWith("Mirascope.Ops: wove", StringComparison.Ordinal)) ?? "(no report)";

        public int WovenMethods => int.Parse(Report.Split(' ')[2], CultureInfo.InvariantCulture);
    }

    /// <summary>One run of the driver in a child process: its exit, its console, what it produced and its spans.</summary>
    public sealed class DriverRun
    {
        public DriverRun(string label, CommandResult command, string? output, string? spans)
        {
            Label = label;
            Command = command;
            Output = output;
            var counts = new Dictionary<string, string>(StringComparer.Ordinal);
            var byName = new Dictionary<string, int>(StringComparer.Ordinal);
            var samples = new List<string>();
            foreach (var line in (spans ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = line.Split('\t');
                switch (fields[0])
                {
                    case "span": byName[fields[1]] = int.Parse(fields[2], CultureInfo.InvariantCulture); break;
                    case "sample": samples.Add(fields[1]); break;
                    default: counts[fields[0]] = fields[1]; break;
                }
            }

            Values = counts;
            SpansByName = byName;
            Samples = samples;
        }

        public string Label { get; }

        public CommandResult Command { get; }

        /// <summary>What the driver's cases produced; null when the driver did not get to write it.</summary>
        public string? Output { get; }

        public IReadOnlyDictionary<string, string> Values { get; }

        public IReadOnlyDictionary<string, int> SpansByName { get; }

        public IReadOnlyList<string> Samples { get; }

        public long Count(string name) => Values.TryGetValue(name, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : -1;

        /// <summary>Fails unless the driver exited 0 and wrote its output: a stack overflow or a fail-fast ends up here.</summary>
        public DriverRun EnsureCompleted()
        {
            if (Command.ExitCode != 0 || Output is null)
            {
                throw new XunitException($"the driver ({Label}) did not complete: `{Command.CommandLine}` exited with {Command.ExitCode} after {Command.Elapsed.TotalSeconds:0.0} s"
                    + $" ({Describe(Command.ExitCode)}); its console, abbreviated:\n{Abbreviate(Command.Output, 4000)}");
            }

            return this;
        }

        private static string Describe(int exitCode) => exitCode switch
        {
            134 => "SIGABRT: a stack overflow or a fail-fast",
            139 => "SIGSEGV",
            137 => "killed",
            _ => "an unhandled exception or a usage error",
        };

        public static string Abbreviate(string text, int max)
        {
            if (text.Length <= max)
            {
                return text;
            }

            var half = max / 2;
            return text[..half] + $"\n… [{text.Length - max} characters cut] …\n" + text[^half..];
        }
    }
}
