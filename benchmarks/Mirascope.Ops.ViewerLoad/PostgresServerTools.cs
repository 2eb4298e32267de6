using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>
    /// What starting a throwaway PostgreSQL cluster needs from the machine, in one place for the load generator's
    /// <c>--postgres</c> (<see cref="ThrowawayPostgres"/>) and the viewer's PostgreSQL tests (<c>PostgresCluster</c>, which
    /// links this file): the server's programs, running them (as the <c>postgres</c> user when run as root, since the server
    /// refuses root), and a free loopback port. How each cluster is set up (durable or not, its databases, its cleanup)
    /// stays with its user.
    /// </summary>
    internal static class PostgresServerTools
    {
        /// <summary>True when this process runs as root: the server's programs are then run as <c>postgres</c> (and its folder given to it).</summary>
        public static bool AsRoot => Environment.UserName == "root";

        /// <summary>The newest installed <c>/usr/lib/postgresql/&lt;version&gt;/bin</c> with <c>initdb</c> and <c>pg_ctl</c>; null when none is.</summary>
        public static string? FindBin() => Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => double.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;

        /// <summary>A loopback port free at the moment of asking.</summary>
        public static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        /// <summary>Runs one of the server's programs, as <c>postgres</c> when <paramref name="asPostgres"/>.</summary>
        public static void Run(bool asPostgres, string program, params string[] args) =>
            Run(asPostgres ? "runuser" : program, asPostgres ? new[] { "-u", "postgres", "--", program }.Concat(args).ToArray() : args);

        /// <summary>Runs a program to its end (at most 120 s); throws with its output when it fails.</summary>
        public static void Run(string program, params string[] args)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not finish in 120 s");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
            }
        }
    }
}
