using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

/// <summary>Anyone sees a public project's repositories read-only, without signing in; private projects stay invisible.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PublicRepositoriesTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task SignedOut_PublicAndPrivateRepositories_ShowsOnlyThePublicOnesWithoutAdminData()
    {
        var registry = console.Admin.Registry;
        await console.Admin.CallAsync(HttpMethod.Post, "/api/v1/robots", new
        {
            name = "public-push",
            identityProvider = "github",
            rules = new object[] { new { claim = "repository_owner_id", equals = "46576199" }, new { claim = "repository_id", equals = "1104004353" } },
            permissions = new[] { new { project = "public-images", repositories = "**", actions = new[] { "pull", "push" } } },
        });
        await PushAsync("public-images/tools/curl", "8.11", "public-push");
        await PushAsync("library/app/secret-service", "v1", "ci-push");
        var page = console.Page;

        await console.GoToAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Browse public repositories without signing in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Public repositories" })).ToBeVisibleAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "public-images/tools/curl" });
        await Expect(row).ToContainTextAsync("8.11");
        await Expect(row).ToContainTextAsync($"docker pull {registry.BaseAddress.Authority}/public-images/tools/curl:8.11");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("library");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("secret-service");
        await Expect(page.GetByRole(AriaRole.Navigation)).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete tag 8.11" })).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('berth.console.session')"));
        await console.ScreenshotAsync("public-repositories");
        console.AssertNothingBroke();
    }

    private async Task PushAsync(string repository, string tag, string robot)
    {
        var registry = console.Admin.Registry;
        var token = await registry.TokenAsync(registry.GitHubToken(), $"repository:{repository}:pull,push");
        using var pushed = await registry.PushImageAsync(repository, tag, new AuthenticationHeaderValue("Bearer", token));
        Assert.True(pushed.StatusCode == HttpStatusCode.Created, $"{robot} could not push {repository}: {await pushed.Content.ReadAsStringAsync()}");
    }
}
