using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>Starts the built viewer as its own process on a free loopback port, and stops it with SIGTERM as Ctrl+C would.</summary>
    internal sealed class ViewerLauncher : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<Uri> _address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);

        private ViewerLauncher(string dll, IReadOnlyList<string> args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add("0");
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            _process = new Process { StartInfo = start, EnableRaisingEvents = true };
            _process.OutputDataReceived += (_, e) => Line(e.Data);
            _process.ErrorDataReceived += (_, e) => Line(e.Data);
            _process.Exited += (_, _) => _address.TrySetException(new InvalidOperationException("the viewer exited before it listened"));
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        /// <summary>Starts the viewer and waits (up to 5 minutes: a large store may be migrated) until it listens.</summary>
        public static async Task<(ViewerLauncher Viewer, Uri Address)> StartAsync(string dll, IReadOnlyList<string> args)
        {
            var viewer = new ViewerLauncher(dll, args);
            var address = await viewer._address.Task.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            return (viewer, address);
        }

        /// <summary>The viewer's process id (for its CPU time).</summary>
        public int ProcessId => _process.Id;

        /// <summary>The repository's viewer build, Release first: found by walking up from this program to the solution.</summary>
        public static string FindViewerDll()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Mirascope.Ops.Weaver.sln")))
                {
                    foreach (var configuration in new[] { "Release", "Debug" })
                    {
                        var dll = Path.Combine(folder.FullName, "viewer", "Mirascope.Ops.Viewer", "bin", configuration, "net10.0", "Mirascope.Ops.Viewer.dll");
                        if (File.Exists(dll))
                        {
                            return dll;
                        }
                    }
                }
            }

            throw new FileNotFoundException("No built viewer found; build it (dotnet build -c Release viewer/Mirascope.Ops.Viewer) or give --viewer-dll.");
        }

        /// <summary>Sends SIGTERM and returns how long the viewer took to exit (null: not within a minute, then killed).</summary>
        public async Task<TimeSpan?> StopAsync()
        {
            var clock = Stopwatch.StartNew();
            using (var kill = Process.Start(new ProcessStartInfo("kill", "-TERM " + _process.Id) { UseShellExecute = false }))
            {
                kill?.WaitForExit();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                return clock.Elapsed;
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                return null;
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            var match = Regex.Match(line, @"viewer: open (http://\S+)");
            if (match.Success)
            {
                _address.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }
    }
}
