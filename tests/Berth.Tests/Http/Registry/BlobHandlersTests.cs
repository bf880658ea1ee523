using System.Net;
using System.Net.Http.Headers;
using Berth.Registry.Content;

namespace Berth.Tests.Http.Registry;

/// <summary>Blob HEAD/GET with ranges and DELETE (end-2, end-10).</summary>
public sealed class BlobHandlersTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Get_PushedBlob_ReturnsBytesWithDigestAndLength()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(70_000);
        var digest = await Client.PushBlobAsync(repository, content);

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/blobs/{digest}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(digest.ToString(), response.Header("Docker-Content-Digest"));
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_PushedBlob_AnswersLengthAndDigestWithoutBody()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(1234);
        var digest = await Client.PushBlobAsync(repository, content);

        using var response = await Client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1234, response.Content.Headers.ContentLength);
        Assert.Equal(digest.ToString(), response.Header("Docker-Content-Digest"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_Range_Answers206WithThoseBytesAndContentRange()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(1000);
        var digest = await Client.PushBlobAsync(repository, content);

        using var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}", configure: r => r.Headers.Range = new RangeHeaderValue(100, 199));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 100-199/1000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[100..200], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_OpenEndedRange_Answers206ToTheEnd()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(1000);
        var digest = await Client.PushBlobAsync(repository, content);

        using var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}", configure: r => r.Headers.Range = new RangeHeaderValue(990, null));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 990-999/1000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[990..], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_RangeBeyondEnd_Answers416()
    {
        var repository = Oci.Repository();
        var digest = await Client.PushBlobAsync(repository, Oci.RandomBytes(100));

        using var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}", configure: r => r.Headers.Range = new RangeHeaderValue(500, 600));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */100", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Get_UnknownBlob_Answers404BlobUnknown()
    {
        var digest = Oci.DigestOf(Oci.RandomBytes(10));

        using var response = await Client.GetAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/{digest}"));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Head_UnknownBlob_Answers404WithoutBody()
    {
        var digest = Oci.DigestOf(Oci.RandomBytes(10));

        using var response = await Client.SendAsync(HttpMethod.Head, $"/v2/{Oci.Repository()}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_BlobOfAnotherRepository_Answers404BlobUnknown()
    {
        var digest = await Client.PushBlobAsync(Oci.Repository(), Oci.RandomBytes(64));

        using var response = await Client.GetAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/{digest}"));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    public async Task Get_InvalidDigest_Answers400DigestInvalid(string reference)
    {
        using var response = await Client.GetAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/{reference}"));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Get_Sha512Blob_ReturnsBytes()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(3000);
        var digest = await Client.PushBlobAsync(repository, content, Digest.Sha512);

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/blobs/{digest}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("sha512:", response.Header("Docker-Content-Digest"), StringComparison.Ordinal);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Delete_LinkedBlob_Answers202AndThenGetAnswers404()
    {
        var repository = Oci.Repository();
        var digest = await Client.PushBlobAsync(repository, Oci.RandomBytes(100));

        using var deleted = await Client.DeleteAsync(Oci.Path($"/v2/{repository}/blobs/{digest}"));
        using var after = await Client.GetAsync(Oci.Path($"/v2/{repository}/blobs/{digest}"));

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await after.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Delete_BlobSharedWithAnotherRepository_LeavesItThere()
    {
        var content = Oci.RandomBytes(100);
        var first = Oci.Repository();
        var second = Oci.Repository();
        var digest = await Client.PushBlobAsync(first, content);
        await Client.PushBlobAsync(second, content);

        using var deleted = await Client.DeleteAsync(Oci.Path($"/v2/{first}/blobs/{digest}"));
        using var other = await Client.GetAsync(Oci.Path($"/v2/{second}/blobs/{digest}"));

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(content, await other.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Delete_UnknownBlob_Answers404BlobUnknown()
    {
        var digest = Oci.DigestOf(Oci.RandomBytes(10));

        using var response = await Client.DeleteAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/{digest}"));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Delete_InvalidDigest_Answers400DigestInvalid()
    {
        using var response = await Client.DeleteAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/latest"));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }
}
