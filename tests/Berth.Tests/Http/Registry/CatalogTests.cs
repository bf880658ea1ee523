using System.Net;
using System.Text.Json;

namespace Berth.Tests.Http.Registry;

/// <summary>The catalog, paged like the tags list. Its own server, so the repository set is known.</summary>
public sealed class CatalogTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private static readonly string[] Names = ["zeta", "alpha/one", "alpha", "beta/x/y", "alpha-two"];

    private HttpClient Client => server.Client;

    [Fact]
    public async Task Catalog_All_ListsRepositoriesInLexicalOrder()
    {
        await PushAllAsync();

        using var response = await Client.GetAsync(Oci.Path("/v2/_catalog"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Link"));
        Assert.Equal(Names.Order(StringComparer.Ordinal), await ReadAsync(response));
    }

    [Fact]
    public async Task Catalog_PagedWithN_FollowsLinkHeadersToTheEnd()
    {
        await PushAllAsync();
        var seen = new List<string>();
        var next = "/v2/_catalog?n=2";
        var pages = 0;

        for (; next is not null && pages < 10; pages++)
        {
            using var response = await Client.GetAsync(Oci.Path(next));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var names = await ReadAsync(response);
            Assert.True(names.Count <= 2);
            seen.AddRange(names);
            next = response.Headers.TryGetValues("Link", out var link) ? ListingHandlersTests.ParseNext(Assert.Single(link)) : null;
        }

        Assert.Equal(Names.Order(StringComparer.Ordinal), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Catalog_FirstPage_LinkEscapesLast()
    {
        await PushAllAsync();

        using var response = await Client.GetAsync(Oci.Path("/v2/_catalog?n=3"));

        Assert.Equal("</v2/_catalog?n=3&last=alpha%2Fone>; rel=\"next\"", Assert.Single(response.Headers.GetValues("Link")));
    }

    [Fact]
    public async Task Catalog_NZero_ReturnsEmptyListWithoutLink()
    {
        await PushAllAsync();

        using var response = await Client.GetAsync(Oci.Path("/v2/_catalog?n=0"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Link"));
        Assert.Empty(await ReadAsync(response));
    }

    [Fact]
    public async Task Catalog_Last_StartsAfterThatRepository()
    {
        await PushAllAsync();

        using var response = await Client.GetAsync(Oci.Path("/v2/_catalog?last=alpha-two"));

        Assert.Equal(["alpha/one", "beta/x/y", "zeta"], await ReadAsync(response));
    }

    private async Task PushAllAsync()
    {
        foreach (var name in Names)
        {
            // Pushing the same blob again is idempotent, so every test may call this.
            await Client.PushBlobAsync(name, "catalog"u8.ToArray());
        }
    }

    private static async Task<List<string>> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(document.RootElement.TryGetProperty("name", out _));
        return document.RootElement.GetProperty("repositories").EnumerateArray().Select(t => t.GetString()!).ToList();
    }
}
