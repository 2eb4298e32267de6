using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>The built viewer run as its own process (<c>dotnet Mirascope.Ops.Viewer.dll ...</c>), as a user starts it.</summary>
    internal sealed class ViewerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new StringBuilder();
        private readonly TaskCompletionSource<Uri> _baseUrl = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        private Uri? _printedBaseUrl;   // output events arrive one at a time

        private ViewerProcess(string[] args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = stdin is not null,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(ViewerDll);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            // The environment must not decide for the test.
            foreach (var variable in new[] { "MIRASCOPE_VIEWER_PORT", "MIRASCOPE_VIEWER_DATA", "MIRASCOPE_VIEWER_STORE", "MIRASCOPE_VIEWER_API_KEY", "MIRASCOPE_VIEWER_INGEST_CONCURRENCY", "MIRASCOPE_VIEWER_INGEST_QUEUE", "ASPNETCORE_URLS" })
            {
                start.Environment.Remove(variable);
            }

            foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[variable] = value;
            }

            _process = new Process { StartInfo = start, EnableRaisingEvents = true };
            _process.OutputDataReceived += (_, e) => Received(e.Data);
            _process.ErrorDataReceived += (_, e) => Received(e.Data);
            _process.Exited += (_, _) => _baseUrl.TrySetException(new InvalidOperationException("the viewer exited:\n" + Output));
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            if (stdin is not null)
            {
                _process.StandardInput.WriteLine(stdin);
                _process.StandardInput.Close();
            }
        }

        /// <summary>The viewer's entry assembly next to the tests (the SDK copies a referenced app with its runtimeconfig).</summary>
        public static string ViewerDll => Path.Combine(AppContext.BaseDirectory, "Mirascope.Ops.Viewer.dll");

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public Process Process => _process;

        /// <summary>Starts the viewer and waits for its whole banner; returns the MIRASCOPE_BASE_URL it printed.</summary>
        public static Task<(ViewerProcess Process, Uri BaseUrl)> StartAsync(params string[] args) => StartAsync(args, stdin: null, environment: null);

        /// <summary>As <see cref="StartAsync(string[])"/>, with a line written to its stdin and variables set in its environment.</summary>
        public static async Task<(ViewerProcess Process, Uri BaseUrl)> StartAsync(string[] args, string? stdin, IReadOnlyDictionary<string, string>? environment)
        {
            var viewer = new ViewerProcess(args, stdin, environment);
            var finished = await Task.WhenAny(viewer._baseUrl.Task, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(finished == viewer._baseUrl.Task, "the viewer printed no banner with MIRASCOPE_BASE_URL within 60 s:\n" + viewer.Output);
            return (viewer, await viewer._baseUrl.Task);
        }

        /// <summary>Runs the viewer to its exit (for options it refuses) and returns the exit code.</summary>
        public static Task<(int ExitCode, string Output)> RunToExitAsync(params string[] args) => RunToExitAsync(args, stdin: null, environment: null);

        public static async Task<(int ExitCode, string Output)> RunToExitAsync(string[] args, string? stdin, IReadOnlyDictionary<string, string>? environment)
        {
            using var viewer = new ViewerProcess(args, stdin, environment);
            var exited = viewer._process.WaitForExitAsync();
            Assert.True(await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60))) == exited, "the viewer did not exit:\n" + viewer.Output);
            viewer._process.WaitForExit();   // drains the redirected output
            return (viewer._process.ExitCode, viewer.Output);
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }

        private void Received(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }

            var match = Regex.Match(line, @"^\s*MIRASCOPE_BASE_URL=(\S+)");
            if (match.Success)
            {
                _printedBaseUrl = new Uri(match.Groups[1].Value);
            }
            else if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal) && _printedBaseUrl is not null)
            {
                _baseUrl.TrySetResult(_printedBaseUrl);   // the whole banner is in Output
            }
        }
    }
}
