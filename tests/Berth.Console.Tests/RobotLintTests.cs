using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

/// <summary>The robot editor lints the robot being written, before it is saved, beside the rule concerned.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RobotLintTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task NewRobot_TypingARegexWithAnUnescapedDot_WarnsBesideThatRuleUntilFixed()
    {
        var page = console.Page;
        await console.SignedInAtAsync("#/robots/new");
        await page.GetByLabel("Identity provider", new() { Exact = true }).SelectOptionAsync("github");
        var first = page.GetByRole(AriaRole.Group, new() { Name = "Rule 1" });
        await first.GetByLabel("Claim").FillAsync("repository_owner_id");
        await first.GetByLabel("Value").FillAsync("46576199");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        var second = page.GetByRole(AriaRole.Group, new() { Name = "Rule 2" });
        await second.GetByLabel("Claim").FillAsync("job_workflow_ref");
        await second.GetByLabel("Operator").SelectOptionAsync("regex");

        await second.GetByLabel("Value").PressSequentiallyAsync("acme/app/.github/workflows/release.yml@.*");

        await Expect(second.Locator(".lint")).ToContainTextAsync("regex-unescaped-dot");
        await Expect(second.Locator(".lint")).ToContainTextAsync(@"write 'acme/app/\.github/workflows/release\.yml@.*'");
        await Expect(first.Locator(".lint")).ToBeEmptyAsync();
        await console.ScreenshotAsync("robot-lint");

        await second.GetByLabel("Value").FillAsync(@"acme/app/\.github/workflows/release\.yml@.*");

        await Expect(second.Locator(".lint")).ToBeEmptyAsync();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await console.Admin.CallAsync(HttpMethod.Get, "/api/v1/robots/draft")).Status);
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task EditRobot_RuleOnRepositoryNameOnly_WarnsBesideThatRuleAndABadRegexIsRefusedThereToo()
    {
        var page = console.Page;
        await console.Admin.CallAsync(HttpMethod.Post, "/api/v1/robots", Berth.Tests.Admin.AdminRegistry.GitHubRobot("api-push"));
        await console.SignedInAtAsync("#/robots/api-push/edit");

        // Rule 2 checks repository without repository_id: the saved robot's warning is shown there at once.
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rule 2" }).Locator(".lint")).ToContainTextAsync("name-without-id");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        var third = page.GetByRole(AriaRole.Group, new() { Name = "Rule 3" });
        await third.GetByLabel("Claim").FillAsync("ref");
        await third.GetByLabel("Operator").SelectOptionAsync("regex");
        await third.GetByLabel("Value").FillAsync("refs/heads/(main");

        await Expect(third.Locator(".lint")).ToContainTextAsync("invalid regex 'refs/heads/(main'");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rule 2" }).Locator(".lint")).ToContainTextAsync("name-without-id");
        console.AssertNothingBroke();
    }
}
