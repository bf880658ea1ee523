using System.Net;

namespace Berth.Tests.Http.Registry;

/// <summary>Cross-repository mount (end-11).</summary>
public sealed class MountTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Post_MountFromRepositoryThatHasTheBlob_Answers201AndBlobIsServed()
    {
        var source = Oci.Repository("source");
        var target = Oci.Repository("target");
        var content = Oci.RandomBytes(2048);
        var digest = await Client.PushBlobAsync(source, content);

        using var response = await Client.PostAsync(Oci.Path($"/v2/{target}/blobs/uploads/?mount={digest}&from={source}"), null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/{target}/blobs/{digest}", response.Headers.Location?.OriginalString);
        Assert.Equal(digest.ToString(), response.Header("Docker-Content-Digest"));
        using var blob = await Client.GetAsync(Oci.Path($"/v2/{target}/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_MountFromRepositoryWithoutTheBlob_Answers202UploadSession()
    {
        var digest = await Client.PushBlobAsync(Oci.Repository("elsewhere"), Oci.RandomBytes(64));
        var target = Oci.Repository("target");

        using var response = await Client.PostAsync(Oci.Path($"/v2/{target}/blobs/uploads/?mount={digest}&from={Oci.Repository("empty")}"), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith($"/v2/{target}/blobs/uploads/", location, StringComparison.Ordinal);
        using var status = await Client.GetAsync(Oci.Path(location));
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        using var blob = await Client.SendAsync(HttpMethod.Head, $"/v2/{target}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, blob.StatusCode);
    }

    [Fact]
    public async Task Post_MountWithoutFrom_Answers202UploadSession()
    {
        var digest = await Client.PushBlobAsync(Oci.Repository("source"), Oci.RandomBytes(64));

        using var response = await Client.PostAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/uploads/?mount={digest}"), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
    }

    [Fact]
    public async Task Post_MountFromInvalidRepositoryName_Answers202UploadSession()
    {
        var digest = await Client.PushBlobAsync(Oci.Repository("source"), Oci.RandomBytes(64));

        using var response = await Client.PostAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/uploads/?mount={digest}&from=Not..Valid"), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Post_MountWithInvalidDigest_Answers400DigestInvalid()
    {
        using var response = await Client.PostAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/uploads/?mount=sha256:123&from={Oci.Repository()}"), null);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }
}
