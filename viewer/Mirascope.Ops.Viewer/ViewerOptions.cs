using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Mirascope.Ops.Viewer
{
    /// <summary>The viewer's settings: command-line options, each with an environment variable as fallback.</summary>
    internal sealed class ViewerOptions
    {
        /// <summary>The default port: not used by the usual local tools (OTLP 4317/4318, Jaeger, Zipkin, Phoenix 6006, Aspire).</summary>
        public const int DefaultPort = 6177;

        public const string Usage = @"Mirascope.Ops span viewer: receives spans on 127.0.0.1 and shows them in the browser.

usage: dotnet run --project viewer/Mirascope.Ops.Viewer -- [options]

  --port <n>            port (default 6177; 0 picks a free one)                MIRASCOPE_VIEWER_PORT
  --listen <address>    the IP address to listen on (default 127.0.0.1); any other   MIRASCOPE_VIEWER_LISTEN
                        than loopback needs accounts (mirascope-viewer admin create)
  --public-origin <url> the origin people and senders reach the viewer at, e.g.   MIRASCOPE_VIEWER_PUBLIC_ORIGIN
                        https://ops.example.com behind a TLS reverse proxy: its host
                        passes the Host check and it counts as the page's own origin
  --store <store>       where the spans are kept: a SQLite file, or a PostgreSQL   MIRASCOPE_VIEWER_STORE
                        connection string (""Host=...;Database=...;Username=...;Password=..."")
                        shared by several viewers (default: SQLite file
                        <local app data>/Mirascope.Ops.Viewer/spans.db)
  --data <file>         the same as --store (its older name)                   MIRASCOPE_VIEWER_DATA
  --certificate <pfx>   serve HTTPS with this PKCS#12 (.pfx) certificate, without a   MIRASCOPE_VIEWER_CERTIFICATE
                        reverse proxy; its password (if any) from stdin with
                        --certificate-password-stdin, or MIRASCOPE_VIEWER_CERTIFICATE_PASSWORD
                        (never on the command line, where other users can read it)
  --api-key <key>       require this key for everything: senders (Bearer or X-API-Key),   MIRASCOPE_VIEWER_API_KEY
                        the API and the page (enter it once at /login)
  --retention-days <d>  a project's traces whose last span is older are deleted     MIRASCOPE_VIEWER_RETENTION_DAYS
                        (default 7; 0 = no age limit); a project's ADMIN may set its own
  --retention-size <n>  a project's oldest traces are deleted beyond this size      MIRASCOPE_VIEWER_RETENTION_SIZE
                        (e.g. 500MB, 2GB; default 1GB; 0 = no size limit); per project
  --max-age-days <d>    the same as --retention-days (its older name)          MIRASCOPE_VIEWER_MAX_AGE_DAYS
  --max-body-mb <n>     largest request body accepted (default 32)            MIRASCOPE_VIEWER_MAX_BODY_MB
  --ingest-concurrency <n>  ingest requests stored at once (default: cores, at least 2)   MIRASCOPE_VIEWER_INGEST_CONCURRENCY
  --ingest-queue <n>    ingest requests that may wait for a turn; more get 429 (default 16)   MIRASCOPE_VIEWER_INGEST_QUEUE
  --prices <file>       model prices (USD per million tokens) laid over the shipped table   MIRASCOPE_VIEWER_PRICES
  --help                show this text

  admin create --email <email> [--password-stdin] [--organization <name>] [--project <name>] [--environment <name>] [--store <store>]
                        creates a person who owns the organization, a project and an environment,
                        prints one API key of it once; accounts are on from the next start";

        public int Port { get; set; } = DefaultPort;

        /// <summary>The address Kestrel listens on; anything but loopback needs accounts (<see cref="Access.ListenPolicy"/>).</summary>
        public System.Net.IPAddress Listen { get; set; } = System.Net.IPAddress.Loopback;

        /// <summary>
        /// Where people reach the viewer when not on loopback (<c>https://ops.example.com</c>): its host passes the Host check
        /// and it is the page's own origin for the cross-origin write check; null: loopback names only.
        /// </summary>
        public Uri? PublicOrigin { get; set; }

        /// <summary>
        /// Where the spans are kept: a SQLite file path, or a PostgreSQL connection string (see
        /// <see cref="Storage.StoreEngines.Create"/>). May hold a password: show <see cref="Storage.StoreEngines.Describe"/> instead.
        /// </summary>
        public string Store { get; set; } = DefaultDataPath();

        /// <summary>When set, every route needs it (the page: once, at /login, for a session cookie); see <see cref="Access.ViewerAccess"/>.</summary>
        public string? ApiKey { get; set; }

        /// <summary>
        /// The age limit of a project that has not set its own (<see cref="Storage.Retention.RetentionPolicies"/>; in
        /// single-developer mode, of the one implicit project): its traces whose newest span arrived longer ago are deleted; null keeps them.
        /// </summary>
        public TimeSpan? RetentionAge { get; set; } = TimeSpan.FromDays(7);

        /// <summary>
        /// The size limit of a project that has not set its own, in <see cref="Storage.Retention.TraceSizes"/>' bytes: its
        /// oldest traces are deleted until the rest fit; null: no limit.
        /// </summary>
        public long? RetentionBytes { get; set; } = DefaultRetentionBytes;

        public const long DefaultRetentionBytes = 1L << 30;

        public long MaxBodyBytes { get; set; } = 32L * 1024 * 1024;

        /// <summary>Ingest requests read, parsed and stored at once (see <see cref="Ingest.IngestGate"/>).</summary>
        public int IngestConcurrency { get; set; } = Math.Max(2, Environment.ProcessorCount);

        /// <summary>Ingest requests that may wait for a turn; one more is answered 429 at once.</summary>
        public int IngestQueue { get; set; } = 16;

        /// <summary>A price table file laid over the shipped one (see <see cref="Cost.PriceTable"/>); null: the shipped prices only.</summary>
        public string? PricesPath { get; set; }

        /// <summary>How often retention runs (it also runs at start).</summary>
        public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>A PKCS#12 file Kestrel serves HTTPS with (<see cref="Access.ViewerCertificate"/>); null: plain HTTP.</summary>
        public string? CertificatePath { get; set; }

        /// <summary>The certificate file's password, from the environment or stdin, never from an argument.</summary>
        public string? CertificatePassword { get; set; }

        /// <summary>True when the password is to be read from the first line of stdin (<c>--certificate-password-stdin</c>).</summary>
        public bool CertificatePasswordFromStdin { get; private set; }

        public const string CertificatePasswordVariable = "MIRASCOPE_VIEWER_CERTIFICATE_PASSWORD";

        public bool ShowHelp { get; private set; }

        public static string DefaultDataPath()
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(root))
            {
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            }

            return Path.Combine(root, "Mirascope.Ops.Viewer", "spans.db");
        }

        /// <summary>Reads the environment, then the arguments (which win). Throws <see cref="ArgumentException"/> listing every problem.</summary>
        public static ViewerOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
        {
            var options = new ViewerOptions();
            var problems = new List<string>();
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (option, variable) in Names)
            {
                var value = environment(variable);
                if (!string.IsNullOrEmpty(value))
                {
                    values[option] = value;
                }
            }

            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                if (arg is "--help" or "-h" or "-?")
                {
                    options.ShowHelp = true;
                    continue;
                }

                if (arg == "--certificate-password-stdin")
                {
                    options.CertificatePasswordFromStdin = true;
                    continue;
                }

                if (arg.StartsWith("--certificate-password", StringComparison.Ordinal))
                {
                    // Not even echoed: the next argument may be the password itself.
                    problems.Add($"--certificate-password is not an option: a password on the command line is visible to every user of the machine (ps); use --certificate-password-stdin or {CertificatePasswordVariable}");
                    if (!arg.Contains('=', StringComparison.Ordinal))
                    {
                        i++;
                    }

                    continue;
                }

                string name = arg, value;
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    name = arg.Substring(0, equals);
                    value = arg.Substring(equals + 1);
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    problems.Add($"{arg} needs a value");
                    continue;
                }

                if (!Names.ContainsKey(name))
                {
                    problems.Add($"unknown option {name}");
                    continue;
                }

                values[name] = value;
            }

            if (values.TryGetValue("--port", out var port))
            {
                if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535)
                {
                    options.Port = number;
                }
                else
                {
                    problems.Add($"--port must be a number from 0 to 65535, got \"{port}\"");
                }
            }

            if (values.TryGetValue("--listen", out var listen))
            {
                if (listen == "localhost")
                {
                    options.Listen = System.Net.IPAddress.Loopback;
                }
                else if (System.Net.IPAddress.TryParse(listen, out var address))
                {
                    options.Listen = address;
                }
                else
                {
                    problems.Add($"--listen must be an IP address (127.0.0.1, 0.0.0.0, ::, 10.0.0.5), got \"{listen}\"");
                }
            }

            if (values.TryGetValue("--public-origin", out var publicOrigin))
            {
                if (Uri.TryCreate(publicOrigin, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                    && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo))
                {
                    options.PublicOrigin = new Uri(uri.GetLeftPart(UriPartial.Authority));
                }
                else
                {
                    problems.Add($"--public-origin must be an origin such as https://ops.example.com (scheme, host, optional port; no path), got \"{publicOrigin}\"");
                }
            }

            values.TryGetValue("--store", out var store);
            values.TryGetValue("--data", out var data);
            if (store is not null && data is not null && store != data)
            {
                problems.Add("--store and --data (or MIRASCOPE_VIEWER_STORE and MIRASCOPE_VIEWER_DATA) name two stores; give one");
            }
            else if ((store ?? data) is { } location)
            {
                if (location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add("--store takes a PostgreSQL connection string as key=value pairs (Host=...;Database=...;Username=...;Password=...), not a postgresql:// URL");
                }
                else if (location.Contains('=', StringComparison.Ordinal) && !Storage.StoreEngines.IsPostgres(location))
                {
                    // Not echoed: a connection string may hold a password.
                    problems.Add("--store has '=' but is not a PostgreSQL connection string with a Host (Host=...;Database=...); a SQLite file name must not contain '='");
                }
                else
                {
                    options.Store = location;
                }
            }

            if (values.TryGetValue("--certificate", out var certificate))
            {
                if (File.Exists(certificate))
                {
                    options.CertificatePath = Path.GetFullPath(certificate);
                    options.CertificatePassword = environment(CertificatePasswordVariable);
                }
                else
                {
                    problems.Add($"--certificate names no file: \"{certificate}\" (a PKCS#12 .pfx file with the certificate and its private key)");
                }
            }
            else if (options.CertificatePasswordFromStdin)
            {
                problems.Add("--certificate-password-stdin needs --certificate <pfx file>");
            }

            if (values.TryGetValue("--api-key", out var key))
            {
                options.ApiKey = key;
            }

            values.TryGetValue("--retention-days", out var retentionDays);
            values.TryGetValue("--max-age-days", out var maxAgeDays);
            if (retentionDays is not null && maxAgeDays is not null && retentionDays != maxAgeDays)
            {
                problems.Add("--retention-days and --max-age-days (its older name) give two limits; give one");
            }
            else if ((retentionDays ?? maxAgeDays) is { } days)
            {
                if (double.TryParse(days, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d <= 36500)
                {
                    options.RetentionAge = d == 0 ? null : TimeSpan.FromDays(d);
                }
                else
                {
                    problems.Add($"--retention-days must be a number of days from 0 (no age limit) to 36500, got \"{days}\"");
                }
            }

            if (values.TryGetValue("--retention-size", out var size))
            {
                if (Storage.Retention.ByteSizes.TryParse(size, out var bytes))
                {
                    options.RetentionBytes = bytes == 0 ? null : bytes;
                }
                else
                {
                    problems.Add($"--retention-size must be a size such as 500MB, 2GB or 0 (no size limit), at most 1PB, got \"{size}\"");
                }
            }

            if (values.ContainsKey("--max-traces"))
            {
                problems.Add("--max-traces is gone: retention is by age and size, per project (--retention-days, --retention-size), so one busy project cannot evict another's traces");
            }

            if (values.TryGetValue("--max-body-mb", out var megabytes))
            {
                if (int.TryParse(megabytes, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb >= 1 && mb <= 1024)
                {
                    options.MaxBodyBytes = mb * 1024L * 1024;
                }
                else
                {
                    problems.Add($"--max-body-mb must be a whole number of megabytes from 1 to 1024, got \"{megabytes}\"");
                }
            }

            if (values.TryGetValue("--ingest-concurrency", out var concurrency))
            {
                if (int.TryParse(concurrency, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c >= 1 && c <= 256)
                {
                    options.IngestConcurrency = c;
                }
                else
                {
                    problems.Add($"--ingest-concurrency must be a whole number from 1 to 256, got \"{concurrency}\"");
                }
            }

            if (values.TryGetValue("--ingest-queue", out var queue))
            {
                if (int.TryParse(queue, NumberStyles.None, CultureInfo.InvariantCulture, out var q) && q <= 10_000)
                {
                    options.IngestQueue = q;
                }
                else
                {
                    problems.Add($"--ingest-queue must be a whole number from 0 to 10000, got \"{queue}\"");
                }
            }

            if (values.TryGetValue("--prices", out var prices))
            {
                options.PricesPath = prices;
                try
                {
                    Cost.PriceTable.Load(prices);   // a broken file is refused at start, with the place it is wrong, not on the first cost
                }
                catch (ArgumentException exception)
                {
                    problems.Add(exception.Message);
                }
            }

            if (problems.Count > 0)
            {
                throw new ArgumentException(string.Join(Environment.NewLine, problems));
            }

            return options;
        }

        private static readonly Dictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--port"] = "MIRASCOPE_VIEWER_PORT",
            ["--listen"] = "MIRASCOPE_VIEWER_LISTEN",
            ["--public-origin"] = "MIRASCOPE_VIEWER_PUBLIC_ORIGIN",
            ["--store"] = "MIRASCOPE_VIEWER_STORE",
            ["--data"] = "MIRASCOPE_VIEWER_DATA",
            ["--api-key"] = "MIRASCOPE_VIEWER_API_KEY",
            ["--certificate"] = "MIRASCOPE_VIEWER_CERTIFICATE",
            ["--retention-days"] = "MIRASCOPE_VIEWER_RETENTION_DAYS",
            ["--retention-size"] = "MIRASCOPE_VIEWER_RETENTION_SIZE",
            ["--max-age-days"] = "MIRASCOPE_VIEWER_MAX_AGE_DAYS",
            ["--max-traces"] = "MIRASCOPE_VIEWER_MAX_TRACES",
            ["--max-body-mb"] = "MIRASCOPE_VIEWER_MAX_BODY_MB",
            ["--ingest-concurrency"] = "MIRASCOPE_VIEWER_INGEST_CONCURRENCY",
            ["--ingest-queue"] = "MIRASCOPE_VIEWER_INGEST_QUEUE",
            ["--prices"] = "MIRASCOPE_VIEWER_PRICES",
        };
    }
}
