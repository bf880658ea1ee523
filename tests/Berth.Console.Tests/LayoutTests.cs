using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

/// <summary>Every page fits a phone (390 px) and a laptop (1280×800): wide tables scroll inside their own box.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LayoutTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Theory]
    [InlineData(390, 844)]
    [InlineData(420, 900)]
    [InlineData(1280, 800)]
    public async Task EveryPage_ScreenWidth_NoSidewaysScrolling(int width, int height)
    {
        await console.Page.SetViewportSizeAsync(width, height);
        await console.Admin.CallAsync(HttpMethod.Delete, "/api/v1/robots/no-such-robot-with-a-rather-long-name");
        await console.Admin.Registry.AuditAsync(e => e.Reason?.Contains("no-such-robot", StringComparison.Ordinal) == true);
        await console.SignedInAtAsync("#/identity-providers");

        foreach (var (route, heading) in ConsolePages.All)
        {
            await console.NavigateAsync(route);
            await Expect(console.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            Assert.True(await console.FitsTheWindowAsync(), $"{route} is wider than {width} px: {await console.WiderThanTheWindowAsync()}");
        }

        console.AssertNothingBroke();
    }
}
