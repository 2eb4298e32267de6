using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// Runs the <c>dotnet</c> CLI the way a user's shell would: a clean environment (nothing of the test host's
    /// MSBuild leaks in), English output, no telemetry, no build nodes left running, a time limit per command.
    /// </summary>
    internal static class DotnetCli
    {
        private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

        /// <summary>The dotnet host running this test (the SDK sets DOTNET_HOST_PATH for child processes).</summary>
        private static string Host =>
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        public static CommandResult Run(
            ITestOutputHelper log,
            string workingDirectory,
            IEnumerable<string> arguments,
            IReadOnlyDictionary<string, string>? environment = null,
            TimeSpan? timeout = null) =>
            Execute(log, Host, workingDirectory, arguments.ToArray(), environment, timeout ?? DefaultTimeout);

        private static CommandResult Execute(
            ITestOutputHelper log,
            string fileName,
            string workingDirectory,
            string[] arguments,
            IReadOnlyDictionary<string, string>? environment,
            TimeSpan timeout)
        {
            var start = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            PrepareEnvironment(start.Environment, environment);

            var commandLine = "dotnet " + string.Join(" ", arguments);
            var output = new StringBuilder();
            var stopwatch = Stopwatch.StartNew();
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using (var deadline = new CancellationTokenSource(timeout))
            {
                try
                {
                    // Waits for the exit and for the end of the output.
                    process.WaitForExitAsync(deadline.Token).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                        throw new TimeoutException($"`{commandLine}` did not finish within {timeout}.\n{Text(output)}");
                    }

                    // Exited, but a process it started still holds the output pipe: what was read is what we have.
                }
            }

            var result = new CommandResult(commandLine, workingDirectory, process.ExitCode, Text(output), stopwatch.Elapsed);
            log.WriteLine($"[{result.Elapsed.TotalSeconds:0.0} s, exit {result.ExitCode}] {commandLine}   (in {workingDirectory})");
            return result;
        }

        private static void PrepareEnvironment(IDictionary<string, string?> variables, IReadOnlyDictionary<string, string>? extra)
        {
            // `dotnet test` runs us with its own MSBuild settings in the environment; a user's shell has none of them.
            foreach (var name in variables.Keys.ToList())
            {
                if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("MSBUILD", StringComparison.Ordinal)
                    || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("DOTNET_ROLL_FORWARD", StringComparison.OrdinalIgnoreCase)
                    // Set for the test host by runtime-async.runsettings; a user's shell has it only when they chose it.
                    || name.Equals("DOTNET_RuntimeAsync", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("TreatWarningsAsErrors", StringComparison.OrdinalIgnoreCase))
                {
                    variables.Remove(name);
                }
            }

            variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            variables["DOTNET_NOLOGO"] = "1";
            variables["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
            variables["DOTNET_CLI_UI_LANGUAGE"] = "en";
            // No build nodes outliving the command (they would hold CPU and files of the temporary projects).
            variables["MSBUILDDISABLENODEREUSE"] = "1";
            variables["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            if (extra is not null)
            {
                foreach (var pair in extra)
                {
                    variables[pair.Key] = pair.Value;
                }
            }
        }

        private static void Append(StringBuilder output, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }

        private static string Text(StringBuilder output)
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>What one CLI command did.</summary>
    public sealed class CommandResult
    {
        public CommandResult(string commandLine, string workingDirectory, int exitCode, string output, TimeSpan elapsed)
        {
            CommandLine = commandLine;
            WorkingDirectory = workingDirectory;
            ExitCode = exitCode;
            Output = output;
            Elapsed = elapsed;
        }

        public string CommandLine { get; }

        public string WorkingDirectory { get; }

        public int ExitCode { get; }

        /// <summary>Standard output and standard error, interleaved as they arrived.</summary>
        public string Output { get; }

        public TimeSpan Elapsed { get; }

        /// <summary>The MSBuild warning lines (<c>file(1,2): warning CODE: ...</c>, <c>MSBUILD : warning : ...</c>).</summary>
        public IReadOnlyList<string> Warnings =>
            Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @":\s*warning\s")).Distinct().ToList();

        public CommandResult EnsureSuccess()
        {
            if (ExitCode != 0)
            {
                throw new Xunit.Sdk.XunitException($"`{CommandLine}` (in {WorkingDirectory}) exited with {ExitCode}:\n{Output}");
            }

            return this;
        }

        public override string ToString() => $"`{CommandLine}` exit {ExitCode}:\n{Output}";
    }
}
