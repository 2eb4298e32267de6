using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Access;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Tests.Accounts;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Security
{
    /// <summary>Failed sign-ins at /login are limited per account and per address, with a wait that grows and ends, never a lock.</summary>
    public sealed class SignInThrottleTests : IDisposable
    {
        private static readonly IPAddress Client = IPAddress.Parse("10.0.0.7");

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        [Fact]
        public async Task Wrong_passwords_spread_over_two_viewers_on_one_store_count_together_and_slow_both()
        {
            var team = await TeamViewer.StartAsync();
            await using var first = team.Viewer;
            await using var second = await RunningViewer.StartAsync(o => o.Store = first.Options.Store);   // another instance of the same service
            var viewers = new[] { first, second };
            var browsers = Array.ConvertAll(viewers, v => new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = v.Address });
            HttpRequestMessage SignIn(int viewer, string password) =>
                AccountsAccessTests.SignIn(viewers[viewer].Address.GetLeftPart(UriPartial.Authority), "developer@example.com", password);

            for (var i = 0; i < SignInThrottle.AccountFreeFailures; i++)
            {
                using var wrong = await browsers[i % 2].SendAsync(SignIn(i % 2, "guess " + i));   // 3 to the first, 2 to the second
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }

            for (var viewer = 0; viewer < 2; viewer++)
            {
                using var throttled = await browsers[viewer].SendAsync(SignIn(viewer, TeamViewer.Password));
                Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);   // each viewer alone saw fewer than five
                Assert.NotNull(throttled.Headers.RetryAfter?.Delta);
            }

            await Task.Delay(TimeSpan.FromSeconds(1.2));
            using (var signedIn = await browsers[1].SendAsync(SignIn(1, TeamViewer.Password)))
            {
                Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
            }

            // The success on the second forgets the account's failures for the first as well: one more wrong guess there
            // is the first of a new count, not the sixth (which would make the right password wait again).
            using (var wrongAgain = await browsers[0].SendAsync(SignIn(0, "one more guess")))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, wrongAgain.StatusCode);
            }

            using (var signedInAtFirst = await browsers[0].SendAsync(SignIn(0, TeamViewer.Password)))
            {
                Assert.Equal(HttpStatusCode.SeeOther, signedInAtFirst.StatusCode);
            }

            foreach (var browser in browsers)
            {
                browser.Dispose();
            }
        }

        [Fact]
        public async Task After_five_wrong_passwords_even_the_right_one_is_a_429_with_Retry_After_and_after_that_wait_it_signs_in()
        {
            var team = await TeamViewer.StartAsync();
            await using var viewer = team.Viewer;
            var origin = viewer.Address.GetLeftPart(UriPartial.Authority);
            using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = viewer.Address };

            for (var i = 0; i < SignInThrottle.AccountFreeFailures; i++)
            {
                using var wrong = await browser.SendAsync(AccountsAccessTests.SignIn(origin, "developer@example.com", "guess " + i));
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }

            using (var throttled = await browser.SendAsync(AccountsAccessTests.SignIn(origin, "Developer@example.com", TeamViewer.Password)))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter?.Delta);
                Assert.Contains("Too many failed sign-ins; try again in 1 s.", await throttled.Content.ReadAsStringAsync());
                Assert.False(throttled.Headers.Contains("Set-Cookie"));
            }

            using (var otherAccount = await browser.SendAsync(AccountsAccessTests.SignIn(origin, "viewer@example.com", TeamViewer.Password)))
            {
                Assert.Equal(HttpStatusCode.SeeOther, otherAccount.StatusCode);   // the same address, another account: not slowed
            }

            await Task.Delay(TimeSpan.FromSeconds(1.2));
            using var signedIn = await browser.SendAsync(AccountsAccessTests.SignIn(origin, "developer@example.com", TeamViewer.Password));
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        }

        [Fact]
        public async Task Wrong_keys_at_the_single_developer_sign_in_are_limited_the_same_way()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = "the-viewers-key");
            using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = viewer.Address };
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i <= SignInThrottle.AccountFreeFailures; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "login")
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = i < SignInThrottle.AccountFreeFailures ? "guess" + i : "the-viewers-key" }),
                };
                request.Headers.Add("Origin", viewer.Address.GetLeftPart(UriPartial.Authority));
                using var response = await browser.SendAsync(request);
                statuses.Add(response.StatusCode);
            }

            Assert.Equal(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }, statuses);
        }

        [Fact]
        public void The_wait_doubles_per_failure_up_to_a_minute_per_account_and_is_forgotten_after_the_window()
        {
            var clock = new ManualClock();
            var throttle = new SignInThrottle(NewStore().Engine, clock);
            var waits = new List<double>();
            for (var i = 0; i < 12; i++)
            {
                clock.Advance(throttle.WaitBefore("a@example.com", address: null) ?? TimeSpan.Zero);   // an attacker who waits as told
                throttle.Failed("a@example.com", address: null);
                waits.Add((throttle.WaitBefore("a@example.com", address: null) ?? TimeSpan.Zero).TotalSeconds);
            }

            Assert.Equal(new double[] { 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60 }, waits);
            clock.Advance(SignInThrottle.Window + TimeSpan.FromSeconds(1));
            Assert.Null(throttle.WaitBefore("a@example.com", address: null));
            throttle.Failed("a@example.com", address: null);
            Assert.Null(throttle.WaitBefore("a@example.com", address: null));   // counting starts again
        }

        [Fact]
        public void One_address_failing_for_many_accounts_is_slowed_without_slowing_those_accounts_elsewhere_and_a_success_clears_the_account()
        {
            var clock = new ManualClock();
            var throttle = new SignInThrottle(NewStore().Engine, clock);
            for (var i = 0; i < SignInThrottle.AddressFreeFailures; i++)
            {
                throttle.Failed("user" + i + "@example.com", Client);
            }

            Assert.Equal(TimeSpan.FromSeconds(1), throttle.WaitBefore("someone-new@example.com", Client));
            Assert.Equal(TimeSpan.FromSeconds(1), throttle.WaitBefore("someone-new@example.com", IPAddress.Parse("::ffff:10.0.0.7")));   // the same address over IPv6
            Assert.Null(throttle.WaitBefore("user0@example.com", IPAddress.Parse("10.0.0.8")));

            for (var i = 0; i < SignInThrottle.AccountFreeFailures; i++)
            {
                throttle.Failed("b@example.com", IPAddress.Parse("10.0.0.9"));
            }

            Assert.NotNull(throttle.WaitBefore("b@example.com", IPAddress.Parse("10.0.0.10")));
            throttle.Succeeded("b@example.com");
            Assert.Null(throttle.WaitBefore("b@example.com", IPAddress.Parse("10.0.0.10")));
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

        private TraceStore NewStore()
        {
            Directory.CreateDirectory(_folder);
            return new TraceStore(TestStore.NewLocation(_folder));
        }

        private sealed class ManualClock : TimeProvider
        {
            private DateTimeOffset _now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

            public override DateTimeOffset GetUtcNow() => _now;

            public void Advance(TimeSpan by) => _now += by;
        }
    }
}
