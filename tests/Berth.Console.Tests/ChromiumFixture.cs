using Microsoft.Playwright;

namespace Berth.Console.Tests;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright's bundled driver. Playwright's own
/// browser download cannot work offline, so the test runs the distribution's binary (test.sh installs it).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

    // Without the background-networking flags Chromium keeps dialling Google's hosts, which a closed network refuses.
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (test.sh does) to run the console tests");
        }

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            ChromiumSandbox = false,
            Args = Flags,
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
    }
}
