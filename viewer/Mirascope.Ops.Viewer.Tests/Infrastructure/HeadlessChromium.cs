using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// The system's Chromium (Debian's <c>chromium</c> package) driven by Playwright. Playwright's own browser download
    /// does not work here, so none is attempted.
    /// </summary>
    internal sealed class HeadlessChromium : IAsyncDisposable
    {
        public const string ChromiumPath = "/usr/bin/chromium";

        private static readonly string[] ChromiumArgs =
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        };

        private readonly IPlaywright _playwright;

        private HeadlessChromium(IPlaywright playwright, IBrowser browser)
        {
            _playwright = playwright;
            Browser = browser;
        }

        public IBrowser Browser { get; }

        public static async Task<HeadlessChromium> StartAsync()
        {
            if (!File.Exists(ChromiumPath))
            {
                Assert.Fail($"The browser test needs Chromium at {ChromiumPath} and it is not installed. Install it with "
                    + "`apt-get update && apt-get install -y chromium` (the CI script .ci/run does this before the tests).");
            }

            var playwright = await Playwright.CreateAsync();
            try
            {
                var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = ChromiumPath,
                    Headless = true,
                    Args = ChromiumArgs,
                    Timeout = 60_000,
                });
                return new HeadlessChromium(playwright, browser);
            }
            catch
            {
                playwright.Dispose();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }
    }
}
