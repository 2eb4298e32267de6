using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>
    /// A small program compiled from source (<see cref="SourceCompiler"/>) against the Mirascope.Ops.Export these tests
    /// reference, run as a child process with <c>dotnet</c> (the same runtime and shared frameworks as the test host,
    /// so a Generic Host program works too). Each build is done once per source text. The child's stdout is read line
    /// by line while it runs; a test sends it real signals.
    /// </summary>
    public sealed class ChildProgram
    {
        private static readonly ConcurrentDictionary<string, Lazy<string>> Builds = new ConcurrentDictionary<string, Lazy<string>>(StringComparer.Ordinal);

        private ChildProgram(string dll)
        {
            Dll = dll;
        }

        public string Dll { get; }

        /// <summary>Compiles <paramref name="source"/> (once) into a runnable program next to the export's DLLs.</summary>
        public static ChildProgram Build(string name, string source) =>
            new ChildProgram(Builds.GetOrAdd(source, _ => new Lazy<string>(() => Compile(name, source))).Value);

        /// <summary>Starts the program with <paramref name="environment"/> added to a clean copy of this process's.</summary>
        public RunningChild Start(IReadOnlyDictionary<string, string> environment)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetDirectoryName(Dll)!,
            };
            start.ArgumentList.Add(Dll);
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal) || k.StartsWith("MIRASCOPE_", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(name);
            }

            start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
            start.Environment["DOTNET_EnableCrashReport"] = "0";
            foreach (var pair in environment)
            {
                start.Environment[pair.Key] = pair.Value;
            }

            return RunningChild.Start(start);
        }

        private static string Compile(string name, string source)
        {
            var tests = AppContext.BaseDirectory;
            // Compiled against everything the test host has loaded or can load (the export, the SDK, hosting).
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => !Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) && Path.GetFileName(p) is not ("netstandard.dll" or "mscorlib.dll" or "Mirascope.Ops.dll"))
                .Where(p => IsManaged(p))
                .ToList();
            var dll = SourceCompiler.Compile(source, name, optimize: true, executable: true, references: references);
            var directory = Path.GetDirectoryName(dll)!;
            // No deps.json: the host loads what lies next to the program. The runtime config is the test host's own
            // (same runtime, same shared frameworks: Microsoft.AspNetCore.App brings Microsoft.Extensions.Hosting).
            foreach (var file in Directory.EnumerateFiles(tests, "*.dll").Where(IsExportDependency))
            {
                File.Copy(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
            }

            var config = Directory.EnumerateFiles(tests, "*.runtimeconfig.json").First(f => Path.GetFileName(f).StartsWith("Mirascope.Ops.Tests", StringComparison.Ordinal));
            File.Copy(config, Path.Combine(directory, name + ".runtimeconfig.json"), overwrite: true);
            return dll;
        }

        private static bool IsExportDependency(string path)
        {
            var file = Path.GetFileName(path);
            return file is "Mirascope.Ops.dll" or "Mirascope.Ops.Export.dll" || file.StartsWith("OpenTelemetry", StringComparison.Ordinal);
        }

        private static bool IsManaged(string path)
        {
            try
            {
                System.Reflection.AssemblyName.GetAssemblyName(path);
                return true;
            }
            catch (BadImageFormatException)
            {
                return false;
            }
        }
    }

    /// <summary>A running <see cref="ChildProgram"/>: its output so far, signals, its exit.</summary>
    public sealed class RunningChild : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _stdout = new List<string>();
        private readonly StringBuilder _stderr = new StringBuilder();

        private RunningChild(Process process)
        {
            _process = process;
        }

        public int Id => _process.Id;

        public IReadOnlyList<string> Output
        {
            get
            {
                lock (_stdout)
                {
                    return _stdout.ToList();
                }
            }
        }

        public string Stderr
        {
            get
            {
                lock (_stderr)
                {
                    return _stderr.ToString();
                }
            }
        }

        internal static RunningChild Start(ProcessStartInfo start)
        {
            var child = new RunningChild(new Process { StartInfo = start });
            child._process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (child._stdout)
                    {
                        child._stdout.Add(e.Data);
                    }
                }
            };
            child._process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (child._stderr)
                    {
                        child._stderr.AppendLine(e.Data);
                    }
                }
            };
            child._process.Start();
            child._process.StandardInput.Close();
            child._process.BeginOutputReadLine();
            child._process.BeginErrorReadLine();
            return child;
        }

        /// <summary>Waits until a line of stdout satisfies <paramref name="condition"/>; fails with the output if the child exits or time runs out.</summary>
        public async Task WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!Output.Any(condition))
            {
                if (_process.HasExited || clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"the child (exited: {_process.HasExited}) did not print the awaited line within {timeout}.\nstdout:\n{string.Join("\n", Output.TakeLast(20))}\nstderr:\n{Stderr}");
                }

                await Task.Delay(10);
            }
        }

        /// <summary>Sends a real POSIX signal (15 SIGTERM, 2 SIGINT, 3 SIGQUIT) to the child.</summary>
        public void Signal(int signal)
        {
            if (Kill(_process.Id, signal) != 0)
            {
                throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        /// <summary>Waits for the exit; returns the exit code (a process killed by a signal: 128 + the signal, as a shell reports it).</summary>
        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"the child did not exit within {timeout}.\nstdout:\n{string.Join("\n", Output.TakeLast(20))}\nstderr:\n{Stderr}");
            }

            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Kill(int pid, int signal);
    }
}
