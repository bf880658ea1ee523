using System.Net;
using System.Net.Http.Headers;
using Berth.Registry.Content;

namespace Berth.Tests.Http.Registry;

/// <summary>Blob uploads: monolithic, POST+PUT, chunked, streamed, status, cancel (end-4 … end-6, end-13).</summary>
public sealed class UploadHandlersTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Post_WithDigestAndBody_Answers201AndBlobIsServed()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(5000);
        var digest = Oci.DigestOf(content);

        using var response = await Client.PostAsync(Oci.Path($"/v2/{repository}/blobs/uploads/?digest={digest}"), Oci.Octets(content));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", response.Headers.Location?.OriginalString);
        Assert.Equal(digest.ToString(), response.Header("Docker-Content-Digest"));
        Assert.Equal(content, await GetBlobAsync(repository, digest));
    }

    [Fact]
    public async Task Post_WithDigestAndStreamedBody_Answers201()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(300_000);
        var digest = Oci.DigestOf(content);
        using var body = new StreamContent(new UnseekableStream(content));
        using var request = new HttpRequestMessage(HttpMethod.Post, Oci.Path($"/v2/{repository}/blobs/uploads/?digest={digest}")) { Content = body };
        request.Headers.TransferEncodingChunked = true;

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(content, await GetBlobAsync(repository, digest));
    }

    [Fact]
    public async Task Patch_ContentRangeWithBytesUnit_IsAccepted()
    {
        var location = await Client.StartUploadAsync(Oci.Repository());

        using var response = await Client.PatchAsync(Oci.Path(location), Oci.Octets(Oci.RandomBytes(100), "bytes 0-99/100"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("0-99", response.Header("Range"));
    }

    [Fact]
    public async Task Post_WithWrongDigest_Answers400DigestInvalidAndNothingIsVisible()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(5000);
        var claimed = Oci.DigestOf(Oci.RandomBytes(5000));

        using var response = await Client.PostAsync(Oci.Path($"/v2/{repository}/blobs/uploads/?digest={claimed}"), Oci.Octets(content));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertBlobUnknownAsync(repository, claimed);
        await AssertBlobUnknownAsync(repository, Oci.DigestOf(content));
        Assert.False(File.Exists(BlobFile(claimed)));
        Assert.False(File.Exists(BlobFile(Oci.DigestOf(content))));
    }

    [Fact]
    public async Task Post_WithMalformedDigest_Answers400DigestInvalid()
    {
        using var response = await Client.PostAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/uploads/?digest=sha256:nothex"), Oci.Octets([1, 2, 3]));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Post_Session_Answers202WithLocationUuidAndEmptyRange()
    {
        var repository = Oci.Repository();

        using var response = await Client.PostAsync(Oci.Path($"/v2/{repository}/blobs/uploads/"), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith($"/v2/{repository}/blobs/uploads/", location, StringComparison.Ordinal);
        Assert.EndsWith(response.Header("Docker-Upload-UUID"), location, StringComparison.Ordinal);
        Assert.Equal("0-0", response.Header("Range"));
    }

    [Fact]
    public async Task Put_SessionWithWholeBody_Answers201AndBlobIsServed()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(10_000);
        var digest = Oci.DigestOf(content);
        var location = await Client.StartUploadAsync(repository);

        using var response = await Client.PutAsync(Oci.Path(Oci.WithQuery(location, $"digest={digest}")), Oci.Octets(content));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", response.Headers.Location?.OriginalString);
        Assert.Equal(digest.ToString(), response.Header("Docker-Content-Digest"));
        Assert.Equal(content, await GetBlobAsync(repository, digest));
    }

    [Fact]
    public async Task Put_EmptyBlob_Answers201()
    {
        var repository = Oci.Repository();
        var digest = Oci.DigestOf([]);
        var location = await Client.StartUploadAsync(repository);

        using var response = await Client.PutAsync(Oci.Path(Oci.WithQuery(location, $"digest={digest}")), Oci.Octets([]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(await GetBlobAsync(repository, digest));
    }

    [Fact]
    public async Task Patch_ChunksInOrderThenPutWithLastChunk_Answers201AndBlobIsWhole()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(300_000);
        var digest = Oci.DigestOf(content);
        var location = await Client.StartUploadAsync(repository);

        using (var first = await Client.PatchAsync(Oci.Path(location), Oci.Octets(content[..100_000], "0-99999")))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal("0-99999", first.Header("Range"));
            location = first.Headers.Location!.OriginalString;
        }

        using (var second = await Client.PatchAsync(Oci.Path(location), Oci.Octets(content[100_000..250_000], "100000-249999")))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
            Assert.Equal("0-249999", second.Header("Range"));
            location = second.Headers.Location!.OriginalString;
        }

        using var closed = await Client.PutAsync(Oci.Path(Oci.WithQuery(location, $"digest={digest}")), Oci.Octets(content[250_000..], "250000-299999"));

        Assert.Equal(HttpStatusCode.Created, closed.StatusCode);
        Assert.Equal(digest.ToString(), closed.Header("Docker-Content-Digest"));
        Assert.Equal(content, await GetBlobAsync(repository, digest));
    }

    [Fact]
    public async Task Patch_ChunksThenPutWithoutBody_Answers201()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(2000);
        var digest = Oci.DigestOf(content);
        var location = await Client.StartUploadAsync(repository);
        using (var first = await Client.PatchAsync(Oci.Path(location), Oci.Octets(content[..1000], "0-999")))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using (var second = await Client.PatchAsync(Oci.Path(location), Oci.Octets(content[1000..], "1000-1999")))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }

        using var closed = await Client.PutAsync(Oci.Path(Oci.WithQuery(location, $"digest={digest}")), Oci.Octets([]));

        Assert.Equal(HttpStatusCode.Created, closed.StatusCode);
        Assert.Equal(content, await GetBlobAsync(repository, digest));
    }

    [Fact]
    public async Task Patch_Sha512ChunkedUpload_CommitsUnderSha512()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(4000);
        var digest = Oci.DigestOf(content, Digest.Sha512);
        var location = await Client.StartUploadAsync(repository);
        using (var chunk = await Client.PatchAsync(Oci.Path(location), Oci.Octets(content[..3000], "0-2999")))
        {
            Assert.Equal(HttpStatusCode.Accepted, chunk.StatusCode);
        }

        using var closed = await Client.PutAsync(Oci.Path(Oci.WithQuery(location, $"digest={digest}")), Oci.Octets(content[3000..], "3000-3999"));

        Assert.Equal(HttpStatusCode.Created, closed.StatusCode);
        Assert.Equal(content, await GetBlobAsync(repository, digest));
    }

    [Fact]
    public async Task Patch_OutOfOrderChunk_Answers416WithCurrentRange()
    {
        var repository = Oci.Repository();
        var location = await Client.StartUploadAsync(repository);
        using (var first = await Client.PatchAsync(Oci.Path(location), Oci.Octets(Oci.RandomBytes(100), "0-99")))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using var skipped = await Client.PatchAsync(Oci.Path(location), Oci.Octets(Oci.RandomBytes(100), "200-299"));

        await skipped.AssertErrorAsync(HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
        Assert.Equal("0-99", skipped.Header("Range"));
        Assert.Equal(location, skipped.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Patch_RepeatedChunk_Answers416AndUploadStaysWhereItWas()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(200);
        var location = await Client.StartUploadAsync(repository);
        using (var first = await Client.PatchAsync(Oci.Path(location), Oci.Octets(content[..100], "0-99")))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using var again = await Client.PatchAsync(Oci.Path(location), Oci.Octets(content[..100], "0-99"));
        using var status = await Client.GetAsync(Oci.Path(location));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, again.StatusCode);
        Assert.Equal("0-99", status.Header("Range"));
    }

    [Fact]
    public async Task Patch_MalformedContentRange_Answers416()
    {
        var location = await Client.StartUploadAsync(Oci.Repository());

        using var response = await Client.PatchAsync(Oci.Path(location), Oci.Octets(Oci.RandomBytes(10), "ten-twenty"));

        await response.AssertErrorAsync(HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
    }

    [Fact]
    public async Task Patch_ChunkShorterThanItsContentRange_Answers400AndUploadStaysEmpty()
    {
        var location = await Client.StartUploadAsync(Oci.Repository());

        using var response = await Client.PatchAsync(Oci.Path(location), Oci.Octets(Oci.RandomBytes(10), "0-99"));
        using var status = await Client.GetAsync(Oci.Path(location));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "BLOB_UPLOAD_INVALID");
        Assert.Equal("0-0", status.Header("Range"));
    }

    [Fact]
    public async Task Patch_StreamedWithoutContentLength_Answers202AndPutCommits()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(1_000_000);
        var digest = Oci.DigestOf(content);
        var location = await Client.StartUploadAsync(repository);

        using var streamed = new StreamContent(new UnseekableStream(content));
        streamed.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Patch, Oci.Path(location)) { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        using var patched = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        Assert.Equal($"0-{content.Length - 1}", patched.Header("Range"));
        using var closed = await Client.PutAsync(Oci.Path(Oci.WithQuery(patched.Headers.Location!.OriginalString, $"digest={digest}")), Oci.Octets([]));
        Assert.Equal(HttpStatusCode.Created, closed.StatusCode);
        Assert.Equal(content, await GetBlobAsync(repository, digest));
    }

    [Fact]
    public async Task Put_StreamedLastChunkWithoutContentLength_Answers201()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(50_000);
        var digest = Oci.DigestOf(content);
        var location = await Client.StartUploadAsync(repository);

        using var streamed = new StreamContent(new UnseekableStream(content));
        using var request = new HttpRequestMessage(HttpMethod.Put, Oci.Path(Oci.WithQuery(location, $"digest={digest}"))) { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        using var closed = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, closed.StatusCode);
        Assert.Equal(content, await GetBlobAsync(repository, digest));
    }

    [Fact]
    public async Task Put_WrongDigest_Answers400DigestInvalidDiscardsUploadAndNothingIsVisible()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(1000);
        var claimed = Oci.DigestOf(Oci.RandomBytes(1000));
        var location = await Client.StartUploadAsync(repository);
        var upload = location[(location.LastIndexOf('/') + 1)..];

        using var closed = await Client.PutAsync(Oci.Path(Oci.WithQuery(location, $"digest={claimed}")), Oci.Octets(content));
        using var status = await Client.GetAsync(Oci.Path(location));

        await closed.AssertErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertBlobUnknownAsync(repository, claimed);
        await AssertBlobUnknownAsync(repository, Oci.DigestOf(content));
        await status.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        Assert.False(File.Exists(Path.Combine(server.DataDir, "uploads", upload)));
        Assert.False(File.Exists(BlobFile(claimed)));
        Assert.False(File.Exists(BlobFile(Oci.DigestOf(content))));
    }

    [Fact]
    public async Task Put_WithoutDigest_Answers400DigestInvalid()
    {
        var location = await Client.StartUploadAsync(Oci.Repository());

        using var response = await Client.PutAsync(Oci.Path(location), Oci.Octets([1, 2, 3]));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Get_UploadStatus_Answers204WithRangeOfReceivedBytes()
    {
        var repository = Oci.Repository();
        var location = await Client.StartUploadAsync(repository);
        using (var chunk = await Client.PatchAsync(Oci.Path(location), Oci.Octets(Oci.RandomBytes(4096), "0-4095")))
        {
            Assert.Equal(HttpStatusCode.Accepted, chunk.StatusCode);
        }

        using var status = await Client.GetAsync(Oci.Path(location));

        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-4095", status.Header("Range"));
        Assert.Equal(location, status.Headers.Location?.OriginalString);
        Assert.Equal(location[(location.LastIndexOf('/') + 1)..], status.Header("Docker-Upload-UUID"));
    }

    [Fact]
    public async Task Delete_Upload_Answers204AndThenStatusAnswers404BlobUploadUnknown()
    {
        var repository = Oci.Repository();
        var location = await Client.StartUploadAsync(repository);
        var upload = location[(location.LastIndexOf('/') + 1)..];

        using var cancelled = await Client.DeleteAsync(Oci.Path(location));
        using var status = await Client.GetAsync(Oci.Path(location));
        using var patch = await Client.PatchAsync(Oci.Path(location), Oci.Octets([1], "0-0"));

        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        await status.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await patch.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        Assert.False(File.Exists(Path.Combine(server.DataDir, "uploads", upload)));
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    public async Task Get_UnknownUpload_Answers404BlobUploadUnknown(string upload)
    {
        using var response = await Client.GetAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/uploads/{upload}"));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Get_UploadOfAnotherRepository_Answers404BlobUploadUnknown()
    {
        var location = await Client.StartUploadAsync(Oci.Repository());
        var upload = location[(location.LastIndexOf('/') + 1)..];

        using var response = await Client.GetAsync(Oci.Path($"/v2/{Oci.Repository()}/blobs/uploads/{upload}"));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Post_SameBlobFromTwoClientsAtOnce_BothSucceedAndBlobIsStoredOnce()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(2_000_000);
        var digest = Oci.DigestOf(content);
        using var second = new HttpClient { BaseAddress = server.BaseAddress };

        var results = await Task.WhenAll(
            Client.PostAsync(Oci.Path($"/v2/{repository}/blobs/uploads/?digest={digest}"), Oci.Octets(content)),
            second.PostAsync(Oci.Path($"/v2/{repository}/blobs/uploads/?digest={digest}"), Oci.Octets(content)));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        foreach (var result in results)
        {
            result.Dispose();
        }

        Assert.Equal(content, await GetBlobAsync(repository, digest));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(BlobFile(digest))!), f => f.EndsWith(digest.Hex, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_SameBlobThroughTwoSessionsAtOnce_BothSucceed()
    {
        var repository = Oci.Repository();
        var content = Oci.RandomBytes(1_000_000);
        var digest = Oci.DigestOf(content);
        using var second = new HttpClient { BaseAddress = server.BaseAddress };
        var firstLocation = await Client.StartUploadAsync(repository);
        var secondLocation = await second.StartUploadAsync(repository);

        var results = await Task.WhenAll(
            Client.PutAsync(Oci.Path(Oci.WithQuery(firstLocation, $"digest={digest}")), Oci.Octets(content)),
            second.PutAsync(Oci.Path(Oci.WithQuery(secondLocation, $"digest={digest}")), Oci.Octets(content)));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        foreach (var result in results)
        {
            result.Dispose();
        }

        Assert.Equal(content, await GetBlobAsync(repository, digest));
    }

    private string BlobFile(Digest digest) => Path.Combine(server.DataDir, "blobs", digest.Algorithm, digest.Hex[..2], digest.Hex);

    private async Task<byte[]> GetBlobAsync(string repository, Digest digest)
    {
        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task AssertBlobUnknownAsync(string repository, Digest digest)
    {
        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/blobs/{digest}"));
        await response.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    /// <summary>A body whose length HttpClient cannot know, so it is sent with chunked transfer encoding.</summary>
    private sealed class UnseekableStream(byte[] content) : MemoryStream(content, writable: false)
    {
        public override bool CanSeek => false;
    }
}
