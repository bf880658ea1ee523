using System.Net;
using System.Text.Json;
using Berth.Registry.Content;

namespace Berth.Tests.Http.Registry;

/// <summary>Tags list (end-8) paged with n/last and an RFC 5988 Link header.</summary>
public sealed class ListingHandlersTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Tags_All_AreListedInLexicalOrder()
    {
        var repository = await PushTagsAsync("v10", "b", "A", "v2", "a", "_x");

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Link"));
        var (name, tags) = await ReadTagsAsync(response);
        Assert.Equal(repository, name);
        Assert.Equal(["A", "_x", "a", "b", "v10", "v2"], tags);
    }

    [Fact]
    public async Task Tags_PagedWithN_FollowsLinkHeadersToTheEnd()
    {
        var repository = await PushTagsAsync("t1", "t2", "t3", "t4", "t5");
        var seen = new List<string>();
        var next = $"/v2/{repository}/tags/list?n=2";
        var pages = 0;

        for (; next is not null && pages < 10; pages++)
        {
            using var response = await Client.GetAsync(Oci.Path(next));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var (_, tags) = await ReadTagsAsync(response);
            Assert.True(tags.Count <= 2);
            seen.AddRange(tags);
            next = response.Headers.TryGetValues("Link", out var link) ? ParseNext(Assert.Single(link)) : null;
        }

        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Tags_FirstPage_HasRfc5988NextLink()
    {
        var repository = await PushTagsAsync("a", "b", "c");

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list?n=2"));

        Assert.Equal($"</v2/{repository}/tags/list?n=2&last=b>; rel=\"next\"", Assert.Single(response.Headers.GetValues("Link")));
        Assert.Equal(["a", "b"], (await ReadTagsAsync(response)).Tags);
    }

    [Fact]
    public async Task Tags_ExactlyNLeft_HasNoLink()
    {
        var repository = await PushTagsAsync("a", "b");

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list?n=2"));

        Assert.False(response.Headers.Contains("Link"));
        Assert.Equal(["a", "b"], (await ReadTagsAsync(response)).Tags);
    }

    [Fact]
    public async Task Tags_Last_StartsAfterThatTag()
    {
        var repository = await PushTagsAsync("a", "b", "c", "d");

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list?last=b"));

        Assert.Equal(["c", "d"], (await ReadTagsAsync(response)).Tags);
    }

    [Fact]
    public async Task Tags_LastWithN_ReturnsThatPage()
    {
        var repository = await PushTagsAsync("a", "b", "c", "d");

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list?n=1&last=b"));

        Assert.Equal(["c"], (await ReadTagsAsync(response)).Tags);
        Assert.Contains("last=c", Assert.Single(response.Headers.GetValues("Link")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_NZero_ReturnsEmptyListWithoutLink()
    {
        var repository = await PushTagsAsync("a", "b");

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list?n=0"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Link"));
        Assert.Empty((await ReadTagsAsync(response)).Tags);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("many")]
    public async Task Tags_InvalidN_Answers400(string n)
    {
        var repository = await PushTagsAsync("a");

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list?n={n}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Tags_UnknownRepository_Answers404NameUnknown()
    {
        using var response = await Client.GetAsync(Oci.Path($"/v2/{Oci.Repository()}/tags/list"));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    private async Task<string> PushTagsAsync(params string[] tags)
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        foreach (var tag in tags)
        {
            await Client.PushManifestAsync(repository, tag, manifest, MediaTypes.OciManifest);
        }

        return repository;
    }

    internal static string ParseNext(string link)
    {
        Assert.EndsWith("; rel=\"next\"", link, StringComparison.Ordinal);
        Assert.StartsWith("<", link, StringComparison.Ordinal);
        return link[1..link.IndexOf('>', StringComparison.Ordinal)];
    }

    private static async Task<(string Name, List<string> Tags)> ReadTagsAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        return (root.GetProperty("name").GetString()!, root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList());
    }
}
