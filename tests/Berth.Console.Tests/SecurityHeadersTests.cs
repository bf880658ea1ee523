using System.Net;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class SecurityHeadersTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task ConsolePage_InTheBrowser_CarriesTheStrictPolicy()
    {
        var response = await console.GoToAsync();

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        var csp = response.Headers["content-security-policy"];
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);
        Assert.Equal("no-referrer", response.Headers["referrer-policy"]);
        await Expect(console.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        console.AssertNothingBroke();
    }

    [Theory]
    [InlineData("/console/", "text/html")]
    [InlineData("/console/app.js", "text/javascript")]
    [InlineData("/console/console.css", "text/css")]
    [InlineData("/console/pages/robots.js", "text/javascript")]
    public async Task ConsoleFile_EveryType_HasTheHeadersAndItsContentType(string path, string contentType)
    {
        using var response = await console.Admin.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task ConsoleFile_Unknown_Returns404WithThePolicy()
    {
        using var response = await console.Admin.Client.GetAsync("/console/no-such-file.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }
}
