using System.Net;
using Berth.Tests.Admin;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class RobotsPageTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private const string Scope = "repository:library/api/app:pull";

    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task List_ConfigRobotWithLintWarning_ShowsKindManagedByAndTheWarning()
    {
        await console.SignedInAtAsync("#/robots");

        var ciPush = console.Page.Locator("table tbody tr").Filter(new() { HasText = "ci-push" });
        await Expect(ciPush).ToContainTextAsync("federated");
        await Expect(ciPush).ToContainTextAsync("github");
        await Expect(ciPush).ToContainTextAsync("config");
        await Expect(ciPush).ToContainTextAsync("name-without-id: rules check repository but not repository_id");
        var legacy = console.Page.Locator("table tbody tr").Filter(new() { HasText = "legacy-pull" });
        await Expect(legacy).ToContainTextAsync("classic");
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Disable_ApiRobot_ItsNextTokenRequestFails()
    {
        await console.Admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));
        var registry = console.Admin.Registry;
        using (var before = await registry.RequestTokenAsync(registry.GitHubToken(), "api-push", scopes: Scope))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await console.SignedInAtAsync("#/robots/api-push");
        await Expect(console.Page.Locator("dl")).ToContainTextAsync("Managed byapi");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Robot disabled");
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Enable" })).ToBeVisibleAsync();
        using var after = await registry.RequestTokenAsync(registry.GitHubToken(), "api-push", scopes: Scope);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Detail_ConfigRobot_OffersNoDisableAndSaysWhereItComesFrom()
    {
        await console.SignedInAtAsync("#/robots/ci-push");
        await Expect(console.Page.GetByRole(AriaRole.Heading, new() { Name = "Claim rules" })).ToBeVisibleAsync();
        await Expect(console.Page.Locator("table").First.Locator("tbody tr")).ToHaveCountAsync(4);

        await Expect(console.Page.GetByText("Declared in the configuration file (managedBy: config)")).ToBeVisibleAsync();
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Disable" })).ToHaveCountAsync(0);
        console.AssertNothingBroke();
    }
}
