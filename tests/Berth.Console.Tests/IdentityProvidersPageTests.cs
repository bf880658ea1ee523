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
}
