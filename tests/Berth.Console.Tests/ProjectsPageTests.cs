using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ProjectsPageTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task AddThenMakePublic_AnonymousPullIsAllowed()
    {
        var page = console.Page;
        await console.SignedInAtAsync("#/projects");
        await Expect(page.Locator("table tbody tr").Filter(new() { HasText = "library" })).ToContainTextAsync("read-only");

        await page.GetByLabel("Project name").FillAsync("team");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add project" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Project team added.");
        using (var before = await console.Admin.Client.GetAsync("/v2/team/app/tags/list"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Make team public" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Project team is now public: anyone may pull.");
        await Expect(page.Locator("table tbody tr").Filter(new() { HasText = "team" })).ToContainTextAsync("public");
        using var after = await console.Admin.Client.GetAsync("/v2/team/app/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Add_InvalidName_ShowsTheMessageNextToTheName()
    {
        await console.SignedInAtAsync("#/projects");

        await console.Page.GetByLabel("Project name").FillAsync("Not Valid");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Add project" }).ClickAsync();

        await Expect(console.Page.Locator("[data-field=name] .field-error")).ToContainTextAsync("must be one lowercase path component");
        console.AssertNothingBroke();
    }

    [Fact]
    public async Task Delete_ProjectWithTags_RefusedUntilTheTagIsDeletedOnTheRepositoriesPage()
    {
        await console.Admin.CallAsync(HttpMethod.Post, "/api/v1/projects", new { name = "team" });
        await console.Admin.CallAsync(HttpMethod.Post, "/api/v1/robots", new
        {
            name = "team-push",
            identityProvider = "github",
            rules = new object[] { new { claim = "repository_id", equals = "1104004353" }, new { claim = "repository_owner_id", equals = "46576199" } },
            permissions = new[] { new { project = "team", repositories = "**", actions = new[] { "pull", "push" } } },
        });
        var registry = console.Admin.Registry;
        var token = await registry.TokenAsync(registry.GitHubToken(), "repository:team/app:pull,push");
        using (var pushed = await registry.PushImageAsync("team/app", "v1", Berth.Tests.Auth.FederatedRegistry.Bearer(token)))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        await console.SignedInAtAsync("#/projects");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Delete team" }).ClickAsync();
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete team" }).ClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("project 'team' is not empty: repository 'team/app' has tags; delete every tag in the project first");
        await Expect(console.Page.Locator("table tbody tr").Filter(new() { HasText = "team" })).ToHaveCountAsync(1);

        await console.Page.GetByRole(AriaRole.Link, new() { Name = "Repositories" }).ClickAsync();
        await console.Page.GetByRole(AriaRole.Link, new() { Name = "team/app" }).ClickAsync();
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Delete tag v1" }).ClickAsync();
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete v1" }).ClickAsync();
        await Expect(console.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Tag v1 deleted");

        // The robot's permission names the project too: it goes first.
        Assert.Equal(HttpStatusCode.NoContent, (await console.Admin.CallAsync(HttpMethod.Delete, "/api/v1/robots/team-push")).Status);
        await console.Page.GetByRole(AriaRole.Link, new() { Name = "Projects" }).ClickAsync();
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Delete team" }).ClickAsync();
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete team" }).ClickAsync();
        await Expect(console.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Project team deleted.");
        console.AssertNothingBroke();
    }
}
