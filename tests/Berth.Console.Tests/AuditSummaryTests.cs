using Berth.Federation.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

/// <summary>The audit page's chart of token exchanges, its top refusal reasons with their troubleshooting entries, the reason filter and the unverified mark.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditSummaryTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    private ILocator Entries => console.Page.GetByRole(AriaRole.Region, new() { Name = "Audit entries" }).Locator("tbody tr");

    public async Task InitializeAsync()
    {
        console = await ConsolePage.OpenAsync(chromium);
        var registry = console.Admin.Registry;
        await registry.TokenAsync(registry.GitHubToken());
        (await registry.RequestTokenAsync(registry.GitHubToken(c => c["repository_owner_id"] = "1"))).Dispose();
        (await registry.RequestTokenAsync(registry.GitHubToken(c => c["repository_owner_id"] = "2"))).Dispose();
        var forged = TestKey.Rsa("attacker").Sign(SeedClaims.GitHubAt(registry.Time.GetUtcNow()).ToJsonString());
        (await registry.RequestTokenAsync(forged)).Dispose();
        await registry.AuditAsync(e => e.Kind == "token" && e.Unverified);
        await registry.AuditAsync(e => e.Kind == "token" && e.Outcome == "accepted");
    }

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task Summary_RefusedExchanges_ChartAndTopReasonLinkToTheTroubleshootingEntry()
    {
        var page = console.Page;
        await console.SignedInAtAsync("#/audit");

        await Expect(page.GetByText("1 accepted", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("3 refused", new() { Exact = true })).ToBeVisibleAsync();
        var chart = page.GetByRole(AriaRole.Img, new() { Name = "Token exchanges per hour" });
        await Expect(chart).ToHaveAttributeAsync("aria-label", "Token exchanges per hour: 4 in 25 hours, at most 4 in one hour");
        await Expect(chart.Locator("rect.refused")).ToHaveCountAsync(1);
        await Expect(chart.Locator("rect.accepted")).ToHaveCountAsync(1);
        var top = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "no_robot_matched" }).First;
        await Expect(top).ToContainTextAsync("2");
        await console.ScreenshotAsync("audit-summary");

        await top.GetByRole(AriaRole.Link, new() { Name = "What no_robot_matched means" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Troubleshooting: no_robot_matched" })).ToBeVisibleAsync();
        // The login table's entry and, through "shown as", the first table's, whose fix names berth explain.
        await Expect(page.Locator("main")).ToContainTextAsync("berth explain --token-file shows the failing rule");
        await console.ScreenshotAsync("troubleshooting");

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit entries with this reason" }).ClickAsync();

        await Expect(Entries).ToHaveCountAsync(2);
        await Expect(Entries.Filter(new() { HasText = "no_robot_matched" })).ToHaveCountAsync(2);
        await Expect(page.GetByLabel("Reason")).ToHaveValueAsync("no_robot_matched");
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Entries_ForgedToken_SubjectMarkedUnverifiedAndReasonFilterFromTheForm()
    {
        var page = console.Page;
        await console.SignedInAtAsync("#/audit?kind=token&outcome=refused");

        var forged = Entries.Filter(new() { HasText = "unknown_key" });
        await Expect(forged.Locator(".badge", new() { HasText = "unverified" })).ToBeVisibleAsync();
        await Expect(Entries.Filter(new() { HasText = "no_robot_matched" }).Locator(".badge", new() { HasText = "unverified" })).ToHaveCountAsync(0);

        await page.GetByLabel("Reason").FillAsync("no_robot_matched");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(Entries).ToHaveCountAsync(2);
        await Expect(Entries.Filter(new() { HasText = "unknown_key" })).ToHaveCountAsync(0);
        console.AssertNothingBroke();
    }
}
