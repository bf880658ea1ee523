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

    [Fact]
    public async Task Classic_CreateRotateDelete_SecretShownOnceAndWorks()
    {
        var page = console.Page;
        var registry = console.Admin.Registry;
        await console.SignedInAtAsync("#/robots/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("nightly");
        await page.GetByLabel("Classic (a secret, shown once)").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Permission 1" }).GetByLabel("Project").SelectOptionAsync("library");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create robot" }).ClickAsync();

        var secret = await page.GetByLabel("Robot secret").TextContentAsync();
        Assert.StartsWith("berth_rs_", secret, StringComparison.Ordinal);
        using (var login = await registry.RequestTokenAsync(secret, "nightly", scopes: Scope))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Go to robot nightly" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        var rotated = await page.GetByLabel("Robot secret").TextContentAsync();
        Assert.NotEqual(secret, rotated);
        using (var old = await registry.RequestTokenAsync(secret, "nightly", scopes: Scope))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete nightly" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Robots" })).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await console.Admin.CallAsync(HttpMethod.Get, "/api/v1/robots/nightly")).Status);
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Edit_BadRegexRule_ShowsTheMessageInThatRulesRow()
    {
        await console.Admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"));
        var page = console.Page;
        await console.SignedInAtAsync("#/robots/api-push/edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        var rule = page.GetByRole(AriaRole.Group, new() { Name = "Rule 3" });
        await rule.GetByLabel("Claim").FillAsync("ref");
        await rule.GetByLabel("Operator").SelectOptionAsync("regex");
        await rule.GetByLabel("Value").FillAsync("refs/heads/(main");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save robot" }).ClickAsync();

        await Expect(rule.Locator(".field-error")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rule 1" }).Locator(".field-error")).ToBeHiddenAsync();
        var (_, saved) = await console.Admin.CallAsync(HttpMethod.Get, "/api/v1/robots/api-push");
        Assert.Equal(2, saved.GetProperty("rules").GetArrayLength());
        console.AssertNothingBroke();
    }
}
