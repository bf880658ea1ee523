using System.Net;
using Berth.Registry.Content;

namespace Berth.Tests.Http.Registry;

/// <summary>
/// Repository names may contain components that look like endpoint words; the resource is the one
/// at the end of the path. Each name is pushed to and read from through every route.
/// </summary>
public sealed class RegistryPathTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private HttpClient Client => server.Client;

    [Theory]
    [InlineData("org/manifests/tool")]
    [InlineData("org/blobs/tool")]
    [InlineData("org/referrers/tool")]
    [InlineData("org/blobs/uploads/tool")]
    [InlineData("org/tags/list/tool")]
    [InlineData("manifests")]
    [InlineData("blobs")]
    public async Task Routes_RepositoryNamedLikeAnEndpoint_ServeThatRepository(string name)
    {
        var repository = $"{name}/{Guid.NewGuid():N}";
        var location = await Client.StartUploadAsync(repository);
        Assert.StartsWith($"/v2/{repository}/blobs/uploads/", location, StringComparison.Ordinal);
        using (var status = await Client.GetAsync(Oci.Path(location)))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        }

        var manifest = await Client.PushImageAsync(repository);
        var digest = await Client.PushManifestAsync(repository, "latest", manifest, MediaTypes.OciManifest);

        using var byTag = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/latest"));
        using var tags = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list"));
        using var referrers = await Client.GetAsync(Oci.Path($"/v2/{repository}/referrers/{digest}"));
        Assert.Equal(manifest, await byTag.Content.ReadAsByteArrayAsync());
        Assert.Equal($"{{\"name\":\"{repository}\",\"tags\":[\"latest\"]}}", await tags.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, referrers.StatusCode);
    }
}
