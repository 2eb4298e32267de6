using System;
using System.Collections.Generic;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>Command-line options and their environment variables.</summary>
    public sealed class ViewerOptionsTests
    {
        [Fact]
        public void The_environment_sets_options_and_the_command_line_wins()
        {
            var environment = new Dictionary<string, string>
            {
                ["MIRASCOPE_VIEWER_PORT"] = "7000",
                ["MIRASCOPE_VIEWER_DATA"] = "/tmp/from-env.db",
                ["MIRASCOPE_VIEWER_API_KEY"] = "env-key",
                ["MIRASCOPE_VIEWER_RETENTION_DAYS"] = "0",
                ["MIRASCOPE_VIEWER_RETENTION_SIZE"] = "50MB",
            };

            var options = ViewerOptions.Parse(new[] { "--port", "7001", "--max-body-mb=2" }, name => environment.GetValueOrDefault(name));

            Assert.Equal(7001, options.Port);
            Assert.Equal("/tmp/from-env.db", options.Store);
            Assert.Equal("env-key", options.ApiKey);
            Assert.Null(options.RetentionAge);   // 0: no age limit
            Assert.Equal(50L * 1024 * 1024, options.RetentionBytes);
            Assert.Equal(2 * 1024 * 1024, options.MaxBodyBytes);
        }

        [Fact]
        public void A_connection_string_selects_PostgreSQL_a_path_selects_SQLite_and_the_password_is_never_shown()
        {
            const string Connection = "Host=db.internal;Port=5433;Database=mirascope;Username=viewer;Password=s3cret-pw";
            var fromEnvironment = ViewerOptions.Parse(Array.Empty<string>(), name => name == "MIRASCOPE_VIEWER_STORE" ? Connection : null);
            var fromArgument = ViewerOptions.Parse(new[] { "--store", "./spans.db" }, _ => null);

            Assert.Equal(Connection, fromEnvironment.Store);
            Assert.True(Storage.StoreEngines.IsPostgres(fromEnvironment.Store));
            Assert.False(Storage.StoreEngines.IsPostgres(fromArgument.Store));
            var shown = Storage.StoreEngines.Describe(fromEnvironment.Store);
            Assert.Contains("Host=db.internal", shown);
            Assert.Contains("Database=mirascope", shown);
            Assert.DoesNotContain("s3cret-pw", shown);
            Assert.DoesNotContain("Password", shown, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(System.IO.Path.GetFullPath("./spans.db"), Storage.StoreEngines.Describe(fromArgument.Store));
        }

        [Fact]
        public void Two_different_stores_or_a_broken_connection_string_are_refused_without_echoing_the_value()
        {
            var two = Assert.Throws<ArgumentException>(() => ViewerOptions.Parse(new[] { "--store", "a.db", "--data", "b.db" }, _ => null));
            var broken = Assert.Throws<ArgumentException>(() => ViewerOptions.Parse(new[] { "--store", "Hots=db;Password=s3cret-pw" }, _ => null));
            var url = Assert.Throws<ArgumentException>(() => ViewerOptions.Parse(new[] { "--store", "postgresql://viewer:s3cret-pw@db/mirascope" }, _ => null));

            Assert.Contains("--store and --data", two.Message);
            Assert.Contains("not a PostgreSQL connection string with a Host", broken.Message);
            Assert.DoesNotContain("s3cret-pw", broken.Message);
            Assert.Contains("not a postgresql:// URL", url.Message);   // rather than a SQLite file of that name
            Assert.DoesNotContain("s3cret-pw", url.Message);
        }

        [Fact]
        public void Without_settings_the_viewer_uses_port_6177_and_a_file_in_the_users_data_folder_kept_7_days()
        {
            var options = ViewerOptions.Parse(Array.Empty<string>(), _ => null);

            Assert.Equal(6177, options.Port);
            Assert.StartsWith(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), options.Store);
            Assert.EndsWith("Mirascope.Ops.Viewer" + System.IO.Path.DirectorySeparatorChar + "spans.db", options.Store);
            Assert.Equal(TimeSpan.FromDays(7), options.RetentionAge);
            Assert.Equal(1L << 30, options.RetentionBytes);   // 1 GB per project
        }

        [Fact]
        public void Every_bad_option_is_reported_at_once()
        {
            var error = Assert.Throws<ArgumentException>(() => ViewerOptions.Parse(new[] { "--prot", "1", "--max-age-days", "-3", "--data" }, _ => null));

            Assert.Equal(
                string.Join(Environment.NewLine, "unknown option --prot", "--data needs a value", "--retention-days must be a number of days from 0 (no age limit) to 36500, got \"-3\""),
                error.Message);
        }

        [Fact]
        public void Ingest_limits_default_to_the_cores_and_16_waiting_and_come_from_the_environment_or_the_command_line()
        {
            var defaults = ViewerOptions.Parse(Array.Empty<string>(), _ => null);
            Assert.Equal(Math.Max(2, Environment.ProcessorCount), defaults.IngestConcurrency);
            Assert.Equal(16, defaults.IngestQueue);

            var environment = new Dictionary<string, string> { ["MIRASCOPE_VIEWER_INGEST_CONCURRENCY"] = "3", ["MIRASCOPE_VIEWER_INGEST_QUEUE"] = "7" };
            var fromEnvironment = ViewerOptions.Parse(Array.Empty<string>(), name => environment.GetValueOrDefault(name));
            Assert.Equal(3, fromEnvironment.IngestConcurrency);
            Assert.Equal(7, fromEnvironment.IngestQueue);

            var fromArgs = ViewerOptions.Parse(new[] { "--ingest-concurrency", "1", "--ingest-queue=0" }, name => environment.GetValueOrDefault(name));
            Assert.Equal(1, fromArgs.IngestConcurrency);
            Assert.Equal(0, fromArgs.IngestQueue);

            var error = Assert.Throws<ArgumentException>(() => ViewerOptions.Parse(new[] { "--ingest-concurrency", "0", "--ingest-queue", "-1" }, _ => null));
            Assert.Equal(
                string.Join(Environment.NewLine, "--ingest-concurrency must be a whole number from 1 to 256, got \"0\"", "--ingest-queue must be a whole number from 0 to 10000, got \"-1\""),
                error.Message);
        }

        [Theory]
        [InlineData("500MB", 500L * 1024 * 1024)]
        [InlineData("2GB", 2L * 1024 * 1024 * 1024)]
        [InlineData("1.5 gb", 3L * 512 * 1024 * 1024)]
        [InlineData("4096", 4096L)]
        public void Retention_size_reads_the_units_people_type(string text, long bytes)
        {
            Assert.Equal(bytes, ViewerOptions.Parse(new[] { "--retention-size", text }, _ => null).RetentionBytes);
        }

        [Fact]
        public void Retention_size_0_means_no_size_limit_and_the_gone_count_limit_says_what_replaced_it()
        {
            Assert.Null(ViewerOptions.Parse(new[] { "--retention-size", "0" }, _ => null).RetentionBytes);
            var error = Assert.Throws<ArgumentException>(() => ViewerOptions.Parse(new[] { "--retention-size", "lots", "--max-traces", "500" }, _ => null));

            Assert.Contains("--retention-size must be a size such as 500MB, 2GB or 0 (no size limit), at most 1PB, got \"lots\"", error.Message);
            Assert.Contains("--max-traces is gone: retention is by age and size, per project (--retention-days, --retention-size)", error.Message);
        }
    }
}
