using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>What to run: the viewers, the ingest load and its bounds, the query runs. Parsed from the command line.</summary>
    internal sealed class LoadOptions
    {
        public const string Usage = @"Mirascope.Ops viewer load generator (loopback only; a measurement tool, not BenchmarkDotNet)

usage: dotnet run -c Release --project benchmarks/Mirascope.Ops.ViewerLoad -- [options] [-- viewer options]

  --viewer <url>        a running viewer (http://127.0.0.1:6177/); repeat for several instances,
                        exporters are spread over them round-robin
  --start               start a viewer process instead (on a free port); options after -- go to it,
                        e.g. -- --data /tmp/load.db or -- --store ""Host=..."" (the engine is the viewer's business)
  --instances <n>       with --start: this many viewer processes on the same store (default 1); exporters
                        are spread over them round-robin, the queries go to the first
  --postgres            with --start: a throwaway PostgreSQL cluster for the run (initdb/pg_ctl from
                        /usr/lib/postgresql, as the postgres user when run as root, 127.0.0.1 on a free
                        port, fsync on), the viewers' --store; stopped and deleted at the end
  --postgres-keep <dir> with --postgres: make the cluster in <dir> (a new folder) and keep it, stopped, at the
                        end (a filled store to start a viewer on again); otherwise it is deleted
  --pg-statements       with --postgres: load pg_stat_statements in the cluster and print the statements
                        that took the server's execution time during the measured ingest
  --fill <n>            with --start: first put n spans into the store, then start the viewers: 200 seed
                        traces (the same bodies) through the viewer's ingest code in this process, then
                        copies of them made inside the database under new ids, spread over --fill-days
  --fill-days <d>       the days back the filled traces spread over (default 6: inside the dashboard's 7)
  --viewer-dll <file>   the viewer to start (default: the repository's Release, else Debug build)
  --exporters <n>       concurrent senders, each one request at a time as an exporter is (default 4)
  --rate <m>            spans per second per exporter; 0 = as fast as the viewer acknowledges (default 0)
  --spans <n>           stop after this many spans are acknowledged (default 100000)
  --duration <s>        stop sending after this many seconds whatever was sent (default 600)
  --batch <n>           spans per request, the exporter's MaxExportBatchSize (default 512)
  --queries <k>         runs of each query after ingest (default 20; 0 skips the queries)
  --queries-while-ingesting
                        then the same queries again while the exporters send at full rate (--exporters,
                        --rate; bounded by --duration), with the ingest rate meanwhile
  --api-key <key>       sent as X-API-Key when the viewer requires one
  --smoke               a tiny bounded run (2 exporters, 2,000 spans, 3 query runs) that checks every span was stored
  --ingest-benchmark    (alone, first) BenchmarkDotNet: the ingest decode path against main 22c082a's copy
                        (IngestBenchmark/MainBaseline/); further arguments go to BenchmarkDotNet
  --ingest-cpu          (alone, first) the same two decode paths by process CPU time, alternated round by round
  --help                show this text";

        public List<Uri> Viewers { get; } = new List<Uri>();

        public bool StartViewer { get; set; }

        public string? ViewerDll { get; set; }

        public int Instances { get; set; } = 1;

        public bool Postgres { get; set; }

        /// <summary>With <see cref="Postgres"/>: print the server's statements by execution time after the ingest.</summary>
        public bool PostgresStatements { get; set; }

        /// <summary><c>--postgres-keep</c>: the folder to make the cluster in and keep (null: a temporary one, deleted).</summary>
        public string? PostgresKeep { get; set; }

        public long FillSpans { get; set; }

        public TimeSpan FillSpread { get; set; } = TimeSpan.FromDays(6);

        public bool QueriesWhileIngesting { get; set; }

        public List<string> ViewerArgs { get; } = new List<string>();

        public int Exporters { get; set; } = 4;

        public double RatePerExporter { get; set; }

        public long MaxSpans { get; set; } = 100_000;

        public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(600);

        public int BatchSize { get; set; } = 512;

        public int QueryRuns { get; set; } = 20;

        public string? ApiKey { get; set; }

        public bool Smoke { get; set; }

        public bool ShowHelp { get; private set; }

        /// <summary>Throws <see cref="ArgumentException"/> naming every problem.</summary>
        public static LoadOptions Parse(IReadOnlyList<string> args)
        {
            var options = new LoadOptions();
            var problems = new List<string>();
            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                if (arg == "--")
                {
                    for (i++; i < args.Count; i++)
                    {
                        options.ViewerArgs.Add(args[i]);
                    }

                    break;
                }

                switch (arg)
                {
                    case "--help" or "-h":
                        options.ShowHelp = true;
                        continue;
                    case "--start":
                        options.StartViewer = true;
                        continue;
                    case "--smoke":
                        options.Smoke = true;
                        continue;
                    case "--postgres":
                        options.Postgres = true;
                        continue;
                    case "--pg-statements":
                        options.PostgresStatements = true;
                        continue;
                    case "--queries-while-ingesting":
                        options.QueriesWhileIngesting = true;
                        continue;
                }

                if (i + 1 >= args.Count)
                {
                    problems.Add($"{arg} needs a value");
                    continue;
                }

                var value = args[++i];
                switch (arg)
                {
                    case "--viewer":
                        if (Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)
                        {
                            options.Viewers.Add(url);
                        }
                        else
                        {
                            problems.Add($"--viewer must be an http URL on loopback (127.0.0.1, localhost, [::1]), got \"{value}\"");
                        }

                        break;
                    case "--postgres-keep":
                        options.PostgresKeep = value;
                        break;
                    case "--instances":
                        options.Instances = Whole(arg, value, 1, 4, problems);
                        break;
                    case "--fill":
                        options.FillSpans = Whole(arg, value, 0, 100_000_000, problems);
                        break;
                    case "--fill-days":
                        options.FillSpread = TimeSpan.FromDays(Whole(arg, value, 1, 365, problems));
                        break;
                    case "--viewer-dll":
                        options.ViewerDll = value;
                        break;
                    case "--exporters":
                        options.Exporters = Whole(arg, value, 1, 256, problems);
                        break;
                    case "--rate":
                        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate >= 0 && rate <= 1_000_000)
                        {
                            options.RatePerExporter = rate;
                        }
                        else
                        {
                            problems.Add($"--rate must be spans per second from 0 to 1000000, got \"{value}\"");
                        }

                        break;
                    case "--spans":
                        options.MaxSpans = Whole(arg, value, 1, 100_000_000, problems);
                        break;
                    case "--duration":
                        options.MaxDuration = TimeSpan.FromSeconds(Whole(arg, value, 1, 86_400, problems));
                        break;
                    case "--batch":
                        options.BatchSize = Whole(arg, value, 10, 10_000, problems);
                        break;
                    case "--queries":
                        options.QueryRuns = Whole(arg, value, 0, 10_000, problems);
                        break;
                    case "--api-key":
                        options.ApiKey = value;
                        break;
                    default:
                        problems.Add($"unknown option {arg}");
                        break;
                }
            }

            if (options.Smoke)
            {
                options.Exporters = 2;
                options.MaxSpans = 2_000;
                options.BatchSize = 100;
                options.QueryRuns = 3;
                options.MaxDuration = TimeSpan.FromSeconds(60);
            }

            if (!options.ShowHelp && options.Viewers.Count == 0 && !options.StartViewer)
            {
                problems.Add("give --viewer <url> (a running viewer) or --start (start one)");
            }

            if (options.Viewers.Count > 0 && options.StartViewer)
            {
                problems.Add("give either --viewer or --start, not both");
            }

            if (!options.StartViewer && (options.Postgres || options.Instances > 1 || options.FillSpans > 0))
            {
                problems.Add("--postgres, --instances and --fill need --start (the generator starts the viewers and owns the store)");
            }

            if (options.PostgresKeep is not null && !options.Postgres)
            {
                problems.Add("--postgres-keep needs --postgres");
            }

            if (options.PostgresStatements && !options.Postgres)
            {
                problems.Add("--pg-statements needs --postgres (it reads the throwaway cluster's statistics)");
            }

            if (options.Postgres && options.ViewerArgs.Any(a => a.StartsWith("--store", StringComparison.Ordinal) || a.StartsWith("--data", StringComparison.Ordinal)))
            {
                problems.Add("--postgres makes the store; give no --store or --data to the viewer");
            }

            if (problems.Count > 0)
            {
                throw new ArgumentException(string.Join(Environment.NewLine, problems));
            }

            return options;
        }

        private static int Whole(string name, string value, int min, int max, List<string> problems)
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            problems.Add($"{name} must be a whole number from {min} to {max}, got \"{value}\"");
            return min;
        }
    }
}
