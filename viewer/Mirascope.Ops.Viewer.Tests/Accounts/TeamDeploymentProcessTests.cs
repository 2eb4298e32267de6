using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Accounts
{
    /// <summary>The viewer as a team server, run as its own process the way the docs say: bootstrap, listen, refuse.</summary>
    public sealed class TeamDeploymentProcessTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        private readonly string _store;

        public TeamDeploymentProcessTests()
        {
            Directory.CreateDirectory(_folder);
            _store = TestStore.NewLocation(_folder, "team.db");
        }

        private string StorePath => _store;

        [Fact]
        public async Task Admin_create_prints_one_key_once_and_spans_sent_with_it_land_in_that_environment()
        {
            var (exitCode, output, error) = await AdminCreateAsync("--email", "Lead@Example.com", "--password-stdin", "--project", "shop", "--environment", "prod", "--store", StorePath);
            Assert.True(exitCode == 0, output + error);
            var key = Regex.Match(output, @"MIRASCOPE_API_KEY=(mk_[A-Za-z0-9_-]{43})\s").Groups[1].Value;
            Assert.NotEmpty(key);
            Assert.Single(Regex.Matches(output, Regex.Escape(key)));

            var (viewer, baseUrl) = await ViewerProcess.StartAsync("--port", "0", "--store", StorePath);
            using (viewer)
            {
                using var http = new HttpClient { BaseAddress = new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + "/") };
                var trace = RichSpans.TraceId("bootstrap");
                using (var ingest = new HttpRequestMessage(HttpMethod.Post, "api/v2/traces") { Content = new ByteArrayContent(RichSpans.Build(new RichSpan(trace, RichSpans.SpanId(1), null, "Shop.Checkout", FunctionFiguresTests.Base, 3))) })
                {
                    ingest.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    ingest.Headers.Add("X-API-Key", key);
                    using var stored = await http.SendAsync(ingest);
                    Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
                }

                using var account = new HttpRequestMessage(HttpMethod.Get, "api/account");
                account.Headers.Add("X-API-Key", key);
                using var answer = await http.SendAsync(account);
                var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
                var project = Assert.Single(json.GetProperty("projects").EnumerateArray());
                Assert.Equal("shop", project.GetProperty("name").GetString());
                Assert.Equal("ADMIN", project.GetProperty("role").GetString());
                Assert.Equal("prod", Assert.Single(project.GetProperty("environments").EnumerateArray()).GetProperty("name").GetString());

                using var read = new HttpRequestMessage(HttpMethod.Get, "api/traces/" + trace);
                read.Headers.Add("X-API-Key", key);
                using var detail = await http.SendAsync(read);
                Assert.Equal(HttpStatusCode.OK, detail.StatusCode);

                using var keyless = await http.GetAsync("api/traces/" + trace);
                Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);   // accounts are on: no key, no spans
                Assert.DoesNotContain(key, viewer.Output);   // never in the viewer's own output
                Assert.Contains("Accounts are on", viewer.Output);   // the banner says how this viewer is entered
                Assert.DoesNotContain("MIRASCOPE_API_KEY=local", viewer.Output);
            }

            var (again, _, refusal) = await AdminCreateAsync("--email", "lead@example.com", "--password-stdin", "--store", StorePath);
            Assert.Equal(1, again);
            Assert.Contains("lead@example.com exists", refusal);
        }

        [Fact]
        public async Task Listening_beyond_loopback_without_accounts_refuses_to_start_and_says_what_to_do()
        {
            var (exitCode, output) = await ViewerProcess.RunToExitAsync("--listen", "0.0.0.0", "--port", "0", "--store", StorePath);

            Assert.Equal(2, exitCode);
            Assert.Contains("Refusing to listen on 0.0.0.0", output);
            Assert.Contains("admin create", output);
        }

        [Fact]
        public async Task With_accounts_the_viewer_listens_beyond_loopback_and_still_needs_a_key()
        {
            var (created, output, error) = await AdminCreateAsync("--email", "lead@example.com", "--password-stdin", "--store", StorePath);
            Assert.True(created == 0, output + error);

            var (viewer, baseUrl) = await ViewerProcess.StartAsync("--listen", "0.0.0.0", "--port", "0", "--store", StorePath);
            using (viewer)
            {
                using var http = new HttpClient();
                using var keyless = await http.GetAsync(new Uri(new Uri("http://127.0.0.1:" + baseUrl.Port + "/"), "api/traces"));
                Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
            }
        }

        [Fact]
        public async Task A_short_password_is_refused_by_admin_create_with_the_rule()
        {
            var (exitCode, _, error) = await AdminCreateAsync(new[] { "--email", "lead@example.com", "--password-stdin", "--store", StorePath }, password: "short");

            Assert.Equal(1, exitCode);
            Assert.Contains("at least 12 characters", error);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static async Task<(int ExitCode, string Output, string Error)> AdminCreateAsync(params string[] args) =>
            await AdminCreateAsync(args, TeamViewer.Password);

        private static async Task<(int ExitCode, string Output, string Error)> AdminCreateAsync(string[] args, string password)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(ViewerProcess.ViewerDll);
            start.ArgumentList.Add("admin");
            start.ArgumentList.Add("create");
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var variable in new[] { "MIRASCOPE_VIEWER_STORE", "MIRASCOPE_VIEWER_DATA" })
            {
                start.Environment.Remove(variable);
            }

            using var process = Process.Start(start)!;
            await process.StandardInput.WriteLineAsync(password);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return (process.ExitCode, await output, await error);
        }
    }
}
