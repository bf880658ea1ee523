using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class AuditPageTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task Audit_AfterConsoleAdminCalls_ShowsThemAndFiltersByOutcome()
    {
        await console.SignedInAtAsync("#/robots/ci-push");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(console.Page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        // The audit trail is written in the background: wait (bounded) until the refusal is stored.
        await console.Admin.Registry.AuditAsync(e => e.Reason == "POST /api/v1/robots/ci-push/disable 409");

        await console.NavigateAsync("#/audit?kind=admin");

        var rows = console.Page.Locator("table tbody tr");
        await Expect(rows.Filter(new() { HasText = "GET /api/v1/robots/ci-push 200" })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "POST /api/v1/robots/ci-push/disable 409" })).ToContainTextAsync("refused");

        await console.Page.GetByLabel("Outcome").SelectOptionAsync("refused");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(rows.Filter(new() { HasText = "GET /api/v1/robots/ci-push 200" })).ToHaveCountAsync(0);
        await Expect(rows.Filter(new() { HasText = "POST /api/v1/robots/ci-push/disable 409" })).ToHaveCountAsync(1);
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Audit_MoreThanOnePage_OlderEntriesShowsTheNextPage()
    {
        // 60 audited admin calls: more than the console's page of 50.
        for (var i = 0; i < 60; i++)
        {
            await console.Admin.CallAsync(HttpMethod.Get, $"/api/v1/robots/no-such-robot-{i}");
        }

        await console.Admin.Registry.AuditAsync(e => e.Reason == "GET /api/v1/robots/no-such-robot-59 404");
        await console.SignedInAtAsync("#/audit?kind=admin&outcome=refused");
        var rows = console.Page.Locator("table tbody tr");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(rows.First).ToContainTextAsync("no-such-robot-59 404");

        await console.Page.GetByRole(AriaRole.Link, new() { Name = "Older entries" }).ClickAsync();

        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.Last).ToContainTextAsync("no-such-robot-0 404");
        await Expect(console.Page.GetByRole(AriaRole.Link, new() { Name = "Older entries" })).ToHaveCountAsync(0);
        await Expect(console.Page.GetByRole(AriaRole.Link, new() { Name = "Newest" })).ToBeVisibleAsync();
        console.AssertNothingBroke();
    }
}
