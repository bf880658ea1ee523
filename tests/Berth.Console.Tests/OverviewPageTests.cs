using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class OverviewPageTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task Overview_RefusedTokenAndLintedRobot_ShowsCountsAndWhatNeedsAttention()
    {
        var registry = console.Admin.Registry;
        using (var refused = await registry.RequestTokenAsync(registry.GitHubToken(c => c["repository_owner_id"] = "1"), scopes: "repository:library/app/web:pull"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await registry.AuditAsync(e => e.Kind == "token" && e.Outcome == "refused");

        await console.SignedInAtAsync("#/overview");

        var cards = console.Page.Locator(".card");
        await Expect(cards.Filter(new() { HasText = "identity providers" })).ToContainTextAsync("2");
        await Expect(cards.Filter(new() { HasText = "token refusals, 24 h" })).ToContainTextAsync("1");
        await Expect(console.Page.Locator("table").First).ToContainTextAsync("ci-push");
        var reasons = console.Page.Locator("table").Last.Locator("tbody tr");
        await Expect(reasons).ToHaveCountAsync(1);
        await Expect(reasons.First).ToContainTextAsync("1");
        await console.ScreenshotAsync("overview");
        console.AssertNothingBroke();
    }
}
