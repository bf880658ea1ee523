using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class IdentityProvidersPageTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task Detail_RefreshKeys_ShowsTheKeyIdsAndNoError()
    {
        await console.SignedInAtAsync("#/identity-providers");
        await console.Page.GetByRole(AriaRole.Link, new() { Name = "github", Exact = true }).ClickAsync();
        await Expect(console.Page.GetByRole(AriaRole.Heading, new() { Name = "Identity provider github" })).ToBeVisibleAsync();

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh keys" }).ClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Keys refreshed.");
        await Expect(console.Page.Locator("dl").Last).ToContainTextAsync("gh-1");
        await Expect(console.Page.Locator("dl").Last).ToContainTextAsync("Last errornone");
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Add_BadJwks_ShowsTheApiMessageNextToTheJwksField()
    {
        var page = console.Page;
        await console.SignedInAtAsync("#/identity-providers/new");
        await page.GetByLabel("Preset").SelectOptionAsync("kubernetes");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("cluster");
        await page.GetByLabel("Issuer").FillAsync("https://cluster.example.com");
        await page.GetByLabel("JWKS", new() { Exact = true }).FillAsync("not json");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add identity provider" }).ClickAsync();

        var jwks = page.Locator("[data-field=jwks]");
        await Expect(jwks.Locator(".field-error")).ToContainTextAsync("is not a valid JWKS document");
        await Expect(page.GetByLabel("JWKS", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("JWKS", new() { Exact = true })).ToBeFocusedAsync();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await console.Admin.CallAsync(HttpMethod.Get, "/api/v1/identity-providers/cluster")).Status);
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task EditAndDelete_ApiProvider_ChangesAudiencesThenRemovesIt()
    {
        await console.Admin.CallAsync(HttpMethod.Post, "/api/v1/identity-providers", new
        {
            name = "forgejo",
            issuer = "https://codeberg.org/api/actions",
            audiences = new[] { "registry.example.com" },
            jwks = Berth.Federation.Tests.Support.TestKey.Jwks(console.Admin.Registry.GitHubKey),
        });
        var page = console.Page;
        await console.SignedInAtAsync("#/identity-providers/forgejo");

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.GetByLabel("Audiences").FillAsync("registry.example.com, other.example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Identity provider saved.");
        await Expect(page.Locator("dl").First).ToContainTextAsync("registry.example.com, other.example.com");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete forgejo" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Identity providers" })).ToBeVisibleAsync();
        await Expect(page.Locator("table tbody tr").Filter(new() { HasText = "forgejo" })).ToHaveCountAsync(0);
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Detail_ConfigProvider_ReadOnlyWithANote()
    {
        await console.SignedInAtAsync("#/identity-providers/github");

        await Expect(console.Page.GetByText("Declared in the configuration file (managedBy: config)")).ToBeVisibleAsync();
        await Expect(console.Page.GetByRole(AriaRole.Link, new() { Name = "Edit" })).ToHaveCountAsync(0);
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh keys" })).ToBeVisibleAsync();
        console.AssertNothingBroke();
    }
}
