using System.Net;

namespace Berth.Tests.Admin;

/// <summary>The admin manifests API refuses what it cannot answer with a message naming the parameter.</summary>
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
    public async Task List_Anonymous_Returns401()
    {
        using var response = await admin.Client.GetAsync("/api/v1/manifests?repository=library/app");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
