using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

/// <summary>
/// Federation set up entirely in the browser: a GitHub-style identity provider (a fake issuer on loopback),
/// a project and a robot written with the rule tester; then skopeo pushes with a matching token and the
/// exchange shows on the audit page.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class EndToEndTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;
    private FakeIssuer issuer = null!;

    public async Task InitializeAsync()
    {
        console = await ConsolePage.OpenAsync(chromium);
        issuer = await FakeIssuer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await console.DisposeAsync();
        await issuer.DisposeAsync();
    }

    [Fact]
    public async Task SetUpInTheBrowser_ThenSkopeoPushesWithAMatchingToken_ExchangeShowsInTheAudit()
    {
        var page = console.Page;
        var token = issuer.Token(console.Admin.Registry.Time.GetUtcNow());

        // 1. The identity provider, from the GitHub preset with this issuer's URL (as a GitHub Enterprise Server has).
        await console.SignedInAtAsync("#/identity-providers");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add identity provider" }).ClickAsync();
        await page.GetByLabel("Preset").SelectOptionAsync("github");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("gh-enterprise");
        await page.GetByLabel("Issuer").FillAsync(issuer.Issuer);
        await page.GetByLabel("Audiences").FillAsync(Berth.Federation.Tests.Support.SeedClaims.Audience);
        await page.GetByLabel("Allow plain HTTP key fetches").CheckAsync();
        await console.ScreenshotAsync("identity-provider-add");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add identity provider" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Identity provider gh-enterprise" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh keys" }).ClickAsync();
        await Expect(page.GetByText("Keys refreshed.")).ToBeVisibleAsync();
        await Expect(page.Locator("dl").Last).ToContainTextAsync("fake-gh-1");
        await console.ScreenshotAsync("identity-provider");

        // 2. The project.
        await page.GetByRole(AriaRole.Link, new() { Name = "Projects" }).ClickAsync();
        await page.GetByLabel("Project name").FillAsync("team");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add project" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Project team added.");
        await console.ScreenshotAsync("projects");

        // 3. The robot: the preset pins the ids of the pasted token, the tester shows every rule holding.
        await page.GetByRole(AriaRole.Link, new() { Name = "Robots" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New robot" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("team-push");
        await page.GetByLabel("Identity provider", new() { Exact = true }).SelectOptionAsync("gh-enterprise");
        await page.GetByLabel("Token or claims to test").FillAsync(token);
        await page.GetByLabel("Preset", new() { Exact = true }).SelectOptionAsync("github-repo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fill rules from the tester's token" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rule 2" }).GetByLabel("Claim")).ToHaveValueAsync("repository_id");
        var permission = page.GetByRole(AriaRole.Group, new() { Name = "Permission 1" });
        await permission.GetByLabel("Project").SelectOptionAsync("team");
        await permission.GetByLabel("Repositories").FillAsync("app/**");
        await permission.GetByLabel("push").CheckAsync();
        var tester = page.GetByRole(AriaRole.Complementary, new() { Name = "Rule tester" });
        await Expect(tester).ToContainTextAsync("Result: matched");
        await Expect(tester).ToContainTextAsync("Would get: team/app/** pull,push");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rule 3" })).ToContainTextAsync("holds found container-registry/federated-idp-examples");
        await console.ScreenshotAsync("robot-editor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create robot" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Robot team-push" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Robot saved.");
        await Expect(page.Locator("table").First.Locator("tbody tr")).ToHaveCountAsync(3);

        // The tester kept the token in the page only.
        Assert.Equal(0, await page.EvaluateAsync<int>("t => Object.values(sessionStorage).concat(location.href).filter(v => v.includes(t)).length", token));

        // 4. The push, as a CI job would make it.
        var (exitCode, error) = await Skopeo.PushAsync(console.Admin.Registry.BaseAddress, "team/app/web", "v1", token);
        Assert.True(exitCode == 0, error);

        // 5. The exchange in the audit log.
        await console.Admin.Registry.AuditAsync(e => e.Kind == "token" && e.Robots == "team-push");
        await console.NavigateAsync("#/audit?kind=token");
        var exchange = page.Locator("table tbody tr").Filter(new() { HasText = "team-push" });
        await Expect(exchange.First).ToContainTextAsync("accepted");
        await Expect(exchange.First).ToContainTextAsync("repo:container-registry/federated-idp-examples");
        await console.ScreenshotAsync("audit");
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task RuleTester_TokenOfAnotherRepository_ShowsWhichRuleFails()
    {
        var page = console.Page;
        await console.SignedInAtAsync("#/robots/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("pinned");
        await page.GetByLabel("Identity provider", new() { Exact = true }).SelectOptionAsync("github");
        await page.GetByLabel("Token or claims to test").FillAsync(console.Admin.Registry.GitHubToken());
        await page.GetByLabel("Preset", new() { Exact = true }).SelectOptionAsync("github-repo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fill rules from the tester's token" }).ClickAsync();
        var tester = page.GetByRole(AriaRole.Complementary, new() { Name = "Rule tester" });
        await Expect(tester).ToContainTextAsync("Result: matched");

        await page.GetByLabel("Token or claims to test").FillAsync(console.Admin.Registry.GitHubToken(c =>
        {
            c["repository_id"] = "999";
            c["repository"] = "container-registry/another";
        }));

        await Expect(tester).ToContainTextAsync("Result: refused");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rule 1" })).ToContainTextAsync("holds found 46576199");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rule 2" })).ToContainTextAsync("fails found 999");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rule 3" })).ToContainTextAsync("fails found container-registry/another");

        // Editing the rule re-tests at once, before anything is saved.
        await page.GetByRole(AriaRole.Group, new() { Name = "Rule 2" }).GetByLabel("Value").FillAsync("999");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rule 2" })).ToContainTextAsync("holds found 999");
        await Expect(tester).ToContainTextAsync("Result: refused");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await console.Admin.CallAsync(HttpMethod.Get, "/api/v1/robots/pinned")).Status);
        console.AssertNothingBroke();
    }
}
