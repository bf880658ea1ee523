using Berth.Tests.Admin;
using Microsoft.Playwright;

namespace Berth.Console.Tests;

/// <summary>
/// A real Berth (<see cref="AdminRegistry"/>) and a fresh browser context on its console: its own
/// sessionStorage, every wait bounded, and a record of what a user would see break (uncaught script
/// errors, content-security-policy refusals).
/// </summary>
internal sealed class ConsolePage : IAsyncDisposable
{
    // Generous for a machine shared with other builds, but never unbounded.
    private const float Timeout = 15_000;

    private readonly List<string> problems = [];

    private ConsolePage(AdminRegistry admin, IBrowserContext context, IPage page)
    {
        Admin = admin;
        Context = context;
        Page = page;
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add("csp: " + message.Text);
            }
        };
    }

    public AdminRegistry Admin { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Uri ConsoleUri => new(Admin.Registry.BaseAddress, "/console/");

    public static async Task<ConsolePage> OpenAsync(ChromiumFixture chromium)
    {
        Assertions.SetDefaultExpectTimeout(Timeout);
        var admin = await AdminRegistry.StartAsync();
        // Far from UTC, so a console that mixed local time and UTC would show it in every test.
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { TimezoneId = "Pacific/Auckland" });
        context.SetDefaultTimeout(Timeout);
        context.SetDefaultNavigationTimeout(Timeout);
        return new ConsolePage(admin, context, await context.NewPageAsync());
    }

    /// <param name="route">A hash route such as <c>#/robots</c>.</param>
    public Task<IResponse?> GoToAsync(string route = "") => Page.GotoAsync(ConsoleUri + route);

    public async Task SignInAsync(string password = AdminRegistry.Password)
    {
        await Page.GetByLabel("Username").FillAsync("admin");
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Opens the console at the route and signs in with the right password; the route is then shown.</summary>
    public async Task SignedInAtAsync(string route)
    {
        await GoToAsync(route);
        await SignInAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    /// <summary>Follows a console link the way a user would, by a hash change in the same tab.</summary>
    public Task NavigateAsync(string route) => Page.EvaluateAsync("route => { location.hash = route; }", route);

    /// <summary>True when the page is no wider than the window: nothing a user has to scroll sideways for.</summary>
    public Task<bool> FitsTheWindowAsync() =>
        Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    /// <summary>The elements reaching past the window's right edge, to say what a failed <see cref="FitsTheWindowAsync"/> saw.</summary>
    public Task<string> WiderThanTheWindowAsync() => Page.EvaluateAsync<string>(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)" +
        ".slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");

    /// <summary>
    /// Saves the page as <c>NAME.png</c> under <c>BERTH_SCREENSHOTS_DIR</c> when that is set (the documentation's
    /// images: see docs/administration.md); otherwise does nothing, so ordinary runs write no files.
    /// </summary>
    public async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("BERTH_SCREENSHOTS_DIR") is not { Length: > 0 } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        // Let fonts and the last answer settle; animations are off so two runs draw the same pixels.
        await Page.EvaluateAsync("() => document.fonts.ready");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }

    public void AssertNothingBroke() => Assert.True(problems.Count == 0, string.Join("\n", problems));

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await Admin.DisposeAsync();
    }
}
