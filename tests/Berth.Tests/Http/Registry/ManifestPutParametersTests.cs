using System.Net;
using System.Text;
using Berth.Registry.Content;

namespace Berth.Tests.Http.Registry;

/// <summary>Distribution spec features after 1.1: several tags in one manifest PUT (<c>?tag=</c>), sha512 manifests, sparse indexes.</summary>
public sealed class ManifestPutParametersTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Put_ByDigestWithTagParameters_PointsEveryTagAndAnswersOciTag()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var digest = Oci.DigestOf(manifest);

        using var put = await Client.PutManifestAsync(repository, $"{digest}?tag=v1&tag=latest", manifest, MediaTypes.OciManifest);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(["v1", "latest"], put.Headers.GetValues("OCI-Tag").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)));
        foreach (var tag in new[] { "v1", "latest" })
        {
            using var get = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{tag}"));
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(digest.ToString(), get.Header("Docker-Content-Digest"));
        }
    }

    [Fact]
    public async Task Put_Sha512DigestWithTag_AnswersTheSha512DigestForPushAndTag()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var digest = Oci.DigestOf(manifest, Digest.Sha512);

        using var put = await Client.PutManifestAsync(repository, $"{digest}?tag=v512", manifest, MediaTypes.OciManifest);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest.ToString(), put.Header("Docker-Content-Digest"));
        Assert.Equal($"/v2/{repository}/manifests/{digest}", put.Headers.Location?.OriginalString);
        using var byTag = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/v512"));
        Assert.Equal(HttpStatusCode.OK, byTag.StatusCode);
        Assert.Equal(digest.ToString(), byTag.Header("Docker-Content-Digest"));
        Assert.Equal(manifest, await byTag.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_InvalidTagParameter_Answers400TagInvalidAndStoresNothing()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var digest = Oci.DigestOf(manifest);

        using var put = await Client.PutManifestAsync(repository, $"{digest}?tag=ok&tag=.bad", manifest, MediaTypes.OciManifest);

        await put.AssertErrorAsync(HttpStatusCode.BadRequest, "TAG_INVALID");
        using var get = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/ok"));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Put_IndexWithMissingChild_IsRefusedByDefault()
    {
        var repository = Oci.Repository();
        var index = await SparseIndexAsync(Client, repository);

        using var put = await Client.PutManifestAsync(repository, "multi", index, MediaTypes.OciIndex);

        await put.AssertErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Put_IndexWithMissingChild_IsAcceptedWithAllowSparseIndexes()
    {
        var sparse = await RegistryServer.StartAsync(configure: settings => settings with { Registry = settings.Registry with { AllowSparseIndexes = true } });
        try
        {
            var repository = Oci.Repository();
            var index = await SparseIndexAsync(sparse.Client, repository);

            using var put = await sparse.Client.PutManifestAsync(repository, "multi", index, MediaTypes.OciIndex);

            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            using var get = await sparse.Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/multi"));
            Assert.Equal(index, await get.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            await sparse.DisposeAsync();
        }
    }

    /// <summary>An index of one pushed amd64 manifest and one arm64 manifest that was never pushed.</summary>
    private static async Task<byte[]> SparseIndexAsync(HttpClient client, string repository)
    {
        var present = await client.PushImageAsync(repository);
        await client.PushManifestAsync(repository, Oci.DigestOf(present).ToString(), present, MediaTypes.OciManifest);
        var absent = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"n\":\"{Guid.NewGuid():N}\"}}");
        return Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[" +
            Oci.Descriptor(MediaTypes.OciManifest, present, "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}") + "," +
            Oci.Descriptor(MediaTypes.OciManifest, absent, "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}") + "]}");
    }
}
