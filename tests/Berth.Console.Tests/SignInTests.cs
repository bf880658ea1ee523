using System.Net;
using Berth.Tests.Auth;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task SignIn_AdminPassword_IdentityProvidersListShowsTheConfigProvidersManagedByConfig()
    {
        await console.SignedInAtAsync("");

        var rows = console.Page.Locator("table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "github" })).ToContainTextAsync("https://token.actions.githubusercontent.com");
        await Expect(rows.Filter(new() { HasText = "github" })).ToContainTextAsync("config");
        await Expect(rows.Filter(new() { HasText = "k3d" })).ToContainTextAsync("config");
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task SignIn_AdminPassword_TokenKeptInSessionStorageOnly()
    {
        await console.SignedInAtAsync("");

        var session = await console.Page.EvaluateAsync<string>("() => sessionStorage.getItem('berth.console.session')");
        Assert.Contains("berth_at_", session, StringComparison.Ordinal);
        Assert.Equal(0, await console.Page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Empty(await console.Context.CookiesAsync());
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsTheApiErrorAndStaysSignedOut()
    {
        await console.GoToAsync();

        await console.SignInAsync("not the password");

        await Expect(console.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("wrong administrator username or password");
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeHiddenAsync();
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task SignOut_SignedIn_RevokesTheConsoleToken()
    {
        await console.SignedInAtAsync("");
        var session = await console.Page.EvaluateAsync<string>("() => JSON.parse(sessionStorage.getItem('berth.console.session')).token");

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        var (status, _) = await console.Admin.CallAsync(HttpMethod.Get, "/api/v1/robots", authorization: FederatedRegistry.Bearer(session));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task SignedOut_FirstVisit_ShowsNoNavigation()
    {
        await console.GoToAsync("#/robots");

        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(console.Page.GetByRole(AriaRole.Navigation)).ToBeHiddenAsync();
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task SignOut_FromRobotsPage_HidesTheNavigationAndItsHighlight()
    {
        await console.SignedInAtAsync("#/robots");
        var robots = console.Page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Robots" });
        await Expect(robots).ToHaveAttributeAsync("aria-current", "page");

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(console.Page.Locator("#nav")).ToBeHiddenAsync();
        await Expect(console.Page.Locator("#nav a.current")).ToHaveCountAsync(0);
        console.AssertNothingBroke();
    }
}
