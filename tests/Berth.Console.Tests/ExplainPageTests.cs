using Berth.Federation.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ExplainPageTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task Explain_SeedGitHubClaimsForCiPush_ShowsEveryRuleHeld()
    {
        await console.SignedInAtAsync("#/explain");
        var claims = SeedClaims.GitHubAt(console.Admin.Registry.Time.GetUtcNow()).ToJsonString();

        await console.Page.GetByLabel("Token or claims").FillAsync(claims);
        await console.Page.GetByLabel("Robot").SelectOptionAsync("ci-push");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();

        var card = console.Page.GetByRole(AriaRole.Article, new() { Name = "robot ci-push" });
        await Expect(card.GetByRole(AriaRole.Heading)).ToContainTextAsync("MATCHED");
        await Expect(card.Locator("tbody tr")).ToHaveCountAsync(4);
        await Expect(card.Locator("tbody tr").Filter(new() { HasText = "fails" })).ToHaveCountAsync(0);
        await Expect(card.Locator("tbody tr").Filter(new() { HasText = "repository_owner_id" })).ToContainTextAsync("46576199holds");
        await Expect(console.Page.GetByText("Result: matched")).ToBeVisibleAsync();
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Explain_WrongAudienceToken_ShowsRefusedNotMatched()
    {
        await console.SignedInAtAsync("#/explain");
        var token = console.Admin.Registry.GitHubToken(c => c["aud"] = "https://github.com/container-registry");

        await console.Page.GetByLabel("Token (JWT)").CheckAsync();
        await console.Page.GetByLabel("Token or claims").FillAsync(token);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();

        await Expect(console.Page.GetByText("Result: refused (audience_mismatch)")).ToBeVisibleAsync();
        await Expect(console.Page.GetByText("Result: matched")).ToHaveCountAsync(0);
        await Expect(console.Page.GetByRole(AriaRole.Article, new() { Name = "robot cluster-pull" }).GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Explain_ClaimsWithMarkup_ShownAsText()
    {
        await console.SignedInAtAsync("#/explain");
        var claims = SeedClaims.GitHubAt(console.Admin.Registry.Time.GetUtcNow());
        claims["repository"] = "<img src=x id=injected>";

        await console.Page.GetByLabel("Token or claims").FillAsync(claims.ToJsonString());
        await console.Page.GetByLabel("Robot").SelectOptionAsync("ci-push");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();

        var card = console.Page.GetByRole(AriaRole.Article, new() { Name = "robot ci-push" });
        await Expect(card.Locator("tbody tr").Filter(new() { HasText = "<img src=x id=injected>" })).ToContainTextAsync("fails");
        await Expect(console.Page.Locator("#injected")).ToHaveCountAsync(0);
        console.AssertNothingBroke();
    }
}
