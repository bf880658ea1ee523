using System.Net;
using System.Net.Http.Headers;
using Berth.Tests.Auth;

namespace Berth.Tests.Admin;

/// <summary>The admin manifests API: every manifest of a repository a page at a time, and refusals naming the parameter.</summary>
public sealed class ManifestsApiTests : IAsyncLifetime
{
    private AdminRegistry admin = null!;

    public async Task InitializeAsync() => admin = await AdminRegistry.StartAsync();

    public async Task DisposeAsync() => await admin.DisposeAsync();

    [Fact]
    public async Task List_UnknownRepository_Returns404NamingIt()
    {
        var (status, body) = await admin.CallAsync(HttpMethod.Get, "/api/v1/manifests?repository=library/nothing");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("repository 'library/nothing' does not exist", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_NotADigest_Returns400()
    {
        var (status, body) = await admin.CallAsync(HttpMethod.Delete, "/api/v1/manifests?repository=library/app&digest=latest");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("digest: 'latest' is not a digest", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ManifestsPushedByDigest_ListsThemUntaggedAPageAtATime()
    {
        const string repository = "library/app/web";
        var registry = admin.Registry;
        var token = new AuthenticationHeaderValue("Bearer", await registry.TokenAsync(registry.GitHubToken(), $"repository:{repository}:pull,push"));
        using (var pushed = await registry.PushImageAsync(repository, "v1", token))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        // 101 more manifests pushed by digest only: the image's manifest, each with an annotation of its own.
        var (_, image) = await GetManifestAsync(repository, "v1", token);
        for (var i = 0; i < 101; i++)
        {
            var annotated = image.TrimEnd('}') + $$$""","annotations":{"n":"{{{i}}}"}}""";
            using var put = new HttpRequestMessage(HttpMethod.Put, $"/v2/{repository}/manifests/{FederatedRegistry.Digest(System.Text.Encoding.UTF8.GetBytes(annotated))}") { Content = new StringContent(annotated) };
            put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
            put.Headers.Authorization = token;
            using var response = await registry.Client.SendAsync(put);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var (_, first) = await admin.CallAsync(HttpMethod.Get, $"/api/v1/manifests?repository={repository}");
        var next = first.GetProperty("next").GetString();
        var (_, second) = await admin.CallAsync(HttpMethod.Get, $"/api/v1/manifests?repository={repository}&after={next}");

        var manifests = first.GetProperty("manifests").EnumerateArray().Concat(second.GetProperty("manifests").EnumerateArray()).ToList();
        Assert.Equal((100, 2), (first.GetProperty("manifests").GetArrayLength(), second.GetProperty("manifests").GetArrayLength()));
        Assert.False(second.TryGetProperty("next", out _)); // the last page
        Assert.Equal(102, manifests.Select(m => m.GetProperty("digest").GetString()).Distinct().Count());
        var tags = manifests.Select(m => string.Join(",", m.GetProperty("tags").EnumerateArray().Select(t => t.GetString()))).ToList();
        Assert.Equal((1, 101), (tags.Count(t => t == "v1"), tags.Count(t => t.Length == 0)));
    }

    [Fact]
    public async Task List_AfterNotADigest_Returns400()
    {
        using (await admin.Registry.PushImageAsync("library/app/web", "v1", new AuthenticationHeaderValue("Bearer", await admin.Registry.TokenAsync(admin.Registry.GitHubToken(), "repository:library/app/web:pull,push"))))
        {
        }

        var (status, body) = await admin.CallAsync(HttpMethod.Get, "/api/v1/manifests?repository=library/app/web&after=v1");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("after: 'v1' is not a digest", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Anonymous_Returns401()
    {
        using var response = await admin.Client.GetAsync("/api/v1/manifests?repository=library/app");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<(string Digest, string Content)> GetManifestAsync(string repository, string reference, AuthenticationHeaderValue token)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        get.Headers.Authorization = token;
        get.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await admin.Registry.Client.SendAsync(get);
        var content = await response.Content.ReadAsStringAsync();
        return (response.Headers.GetValues("Docker-Content-Digest").Single(), content);
    }
}
