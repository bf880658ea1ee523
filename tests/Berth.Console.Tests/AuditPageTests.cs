using System.Globalization;
using Berth.Tests.Admin;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class AuditPageTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    /// <summary>The rows of the entries table (the page also has the top refusal reasons).</summary>
    private ILocator Entries => console.Page.GetByRole(AriaRole.Region, new() { Name = "Audit entries" }).Locator("tbody tr");

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task Audit_AfterConsoleChanges_ShowsThemButNoPageViewsAndFiltersByOutcome()
    {
        await console.Admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));
        await console.Admin.CallAsync(HttpMethod.Delete, "/api/v1/robots/no-such-robot");
        await console.SignedInAtAsync("#/robots/api-push");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(console.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Robot disabled");
        // The audit trail is written in the background: wait (bounded) until the change is stored.
        await console.Admin.Registry.AuditAsync(e => e.Reason == "POST /api/v1/robots/api-push/disable 200");

        await console.NavigateAsync("#/audit?kind=admin");

        var rows = Entries;
        await Expect(rows.Filter(new() { HasText = "POST /api/v1/robots/api-push/disable 200" })).ToContainTextAsync("accepted");
        await Expect(rows.Filter(new() { HasText = "DELETE /api/v1/robots/no-such-robot 404" })).ToContainTextAsync("refused");
        // Reading pages is not an audit event: the robot page and the list the console just showed left no entry.
        await Expect(rows.Filter(new() { HasText = "GET /api/v1/" })).ToHaveCountAsync(0);

        await console.Page.GetByLabel("Outcome").SelectOptionAsync("refused");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(rows.Filter(new() { HasText = "POST /api/v1/robots/api-push/disable 200" })).ToHaveCountAsync(0);
        await Expect(rows.Filter(new() { HasText = "DELETE /api/v1/robots/no-such-robot 404" })).ToHaveCountAsync(1);
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Audit_KindGcAndUtcTimeRange_ShowsTheCollectionOnlyInsideTheRange()
    {
        await console.Admin.CallAsync(HttpMethod.Post, "/api/v1/gc?dryRun=true");
        await console.Admin.Registry.AuditAsync(e => e.Kind == "gc");
        var now = console.Admin.Registry.Time.GetUtcNow();
        await console.SignedInAtAsync("#/audit");

        await console.Page.GetByLabel("Kind").SelectOptionAsync("gc");
        // The browser runs in Auckland: these are UTC times, as the labels say.
        await console.Page.GetByLabel("Since (UTC)").FillAsync(now.AddMinutes(-2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await console.Page.GetByLabel("Until (UTC)").FillAsync(now.AddMinutes(2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        var rows = Entries;
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("gc");

        await console.Page.GetByLabel("Until (UTC)").FillAsync(now.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(console.Page.GetByText("No audit entries match.")).ToBeVisibleAsync();
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Audit_MoreThanOnePage_OlderEntriesShowsTheNextPage()
    {
        // 60 audited admin changes: more than the console's page of 50.
        for (var i = 0; i < 60; i++)
        {
            await console.Admin.CallAsync(HttpMethod.Delete, $"/api/v1/robots/no-such-robot-{i}");
        }

        await console.Admin.Registry.AuditAsync(e => e.Reason == "DELETE /api/v1/robots/no-such-robot-59 404");
        await console.SignedInAtAsync("#/audit?kind=admin&outcome=refused");
        var rows = Entries;
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
