using System.Net;
using System.Text;
using Berth.Registry.Content;

namespace Berth.Tests.Http.Registry;

/// <summary>Manifests GET/HEAD/PUT/DELETE by tag and digest, media types and validation (end-3, end-7, end-9).</summary>
public sealed class ManifestHandlersTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Get_ByTag_ReturnsPushedBytesExactlyWithTypeDigestAndLength()
    {
        var repository = Oci.Repository();
        var config = await Client.PushBlobAsync(repository, "{\"os\":\"linux\"}"u8.ToArray());
        var layer = await Client.PushBlobAsync(repository, Oci.RandomBytes(100));
        // Unusual key order, tabs, CRLF, spaces before colons, escaped slash, trailing newline: all must survive.
        var manifest = Encoding.UTF8.GetBytes(
            "{\r\n\t\"layers\" :  [ {\"size\":100,\"digest\":\"" + layer + "\",\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\"} ],\r\n" +
            "  \"config\":{\"digest\":\"" + config + "\",\"size\":14,\"mediaType\":\"application\\/vnd.oci.image.config.v1+json\"},\n" +
            "      \"schemaVersion\"   :2 ,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"\n}\n\n");
        var expected = Oci.DigestOf(manifest);

        using (var put = await Client.PutManifestAsync(repository, "v1", manifest, MediaTypes.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal($"/v2/{repository}/manifests/{expected}", put.Headers.Location?.OriginalString);
            Assert.Equal(expected.ToString(), put.Header("Docker-Content-Digest"));
        }

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/v1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaTypes.OciManifest, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(expected.ToString(), response.Header("Docker-Content-Digest"));
        Assert.Equal(manifest.Length, response.Content.Headers.ContentLength);
        Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_ByDigest_ReturnsPushedBytes()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var digest = await Client.PushManifestAsync(repository, "latest", manifest, MediaTypes.OciManifest);

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{digest}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaTypes.OciManifest, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(digest.ToString(), response.Header("Docker-Content-Digest"));
        Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("digest")]
    public async Task Head_ByTagOrDigest_AnswersHeadersWithoutBody(string how)
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var digest = await Client.PushManifestAsync(repository, "latest", manifest, MediaTypes.OciManifest);
        var reference = how == "digest" ? digest.ToString() : how;

        using var response = await Client.SendAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{reference}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaTypes.OciManifest, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(digest.ToString(), response.Header("Docker-Content-Digest"));
        Assert.Equal(manifest.Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_ByDigest_Answers201AndIsReachableByDigestOnly()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var digest = Oci.DigestOf(manifest);

        var pushed = await Client.PushManifestAsync(repository, digest.ToString(), manifest, MediaTypes.OciManifest);
        using var byDigest = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{digest}"));
        using var tags = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list"));

        Assert.Equal(digest, pushed);
        Assert.Equal(manifest, await byDigest.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
        Assert.Contains("\"tags\":[]", await tags.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_BySha512Digest_Answers201AndGetBySha512ReturnsBytes()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var digest = Oci.DigestOf(manifest, Digest.Sha512);

        var pushed = await Client.PushManifestAsync(repository, digest.ToString(), manifest, MediaTypes.OciManifest);
        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{digest}"));

        Assert.Equal(digest, pushed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(digest.ToString(), response.Header("Docker-Content-Digest"));
        Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_ImageWithSha512Blobs_Answers201()
    {
        var repository = Oci.Repository();
        var config = "{}"u8.ToArray();
        var layer = Oci.RandomBytes(300);
        var configDigest = await Client.PushBlobAsync(repository, config, Digest.Sha512);
        var layerDigest = await Client.PushBlobAsync(repository, layer, Digest.Sha512);
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\"," +
            $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{configDigest}\",\"size\":2}}," +
            $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{layerDigest}\",\"size\":300}}]}}");

        var digest = await Client.PushManifestAsync(repository, "sha512", manifest, MediaTypes.OciManifest);

        Assert.Equal(Oci.DigestOf(manifest), digest);
    }

    [Fact]
    public async Task Put_DockerSchema2Manifest_IsServedWithItsMediaType()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository, MediaTypes.DockerManifest);

        await Client.PushManifestAsync(repository, "docker", manifest, MediaTypes.DockerManifest);
        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/docker"));

        Assert.Equal(MediaTypes.DockerManifest, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(MediaTypes.OciIndex, MediaTypes.OciManifest)]
    [InlineData(MediaTypes.DockerManifestList, MediaTypes.DockerManifest)]
    public async Task Put_IndexOfPushedManifests_IsServedWithItsMediaType(string indexType, string childType)
    {
        var repository = Oci.Repository();
        var amd64 = await Client.PushImageAsync(repository, childType);
        var arm64 = await Client.PushImageAsync(repository, childType);
        await Client.PushManifestAsync(repository, Oci.DigestOf(amd64).ToString(), amd64, childType);
        await Client.PushManifestAsync(repository, Oci.DigestOf(arm64).ToString(), arm64, childType);
        var index = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{indexType}\",\"manifests\":[" +
            Oci.Descriptor(childType, amd64, "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}") + "," +
            Oci.Descriptor(childType, arm64, "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}") + "]}");

        var digest = await Client.PushManifestAsync(repository, "multi", index, indexType);
        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/multi"));

        Assert.Equal(Oci.DigestOf(index), digest);
        Assert.Equal(indexType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(index, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_ArtifactWithEmptyConfig_IsServedAndEmptyConfigBlobHasTheWellKnownDigest()
    {
        var repository = Oci.Repository();
        var empty = await Client.PushBlobAsync(repository, "{}"u8.ToArray());
        var payload = await Client.PushBlobAsync(repository, "hello"u8.ToArray());
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"artifactType\":\"application/vnd.example.thing\"," +
            $"\"config\":{{\"mediaType\":\"{MediaTypes.OciEmpty}\",\"digest\":\"{Oci.EmptyConfigDigest}\",\"size\":2,\"data\":\"e30=\"}}," +
            $"\"layers\":[{{\"mediaType\":\"text/plain\",\"digest\":\"{payload}\",\"size\":5}}]}}");

        var digest = await Client.PushManifestAsync(repository, "artifact", manifest, MediaTypes.OciManifest);
        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{digest}"));

        Assert.Equal(Oci.EmptyConfigDigest, empty.ToString());
        Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_ReferencingMissingBlob_Answers400ManifestBlobUnknown()
    {
        var repository = Oci.Repository();
        var config = await Client.PushBlobAsync(repository, "{}"u8.ToArray());
        var missing = Oci.DigestOf(Oci.RandomBytes(10));
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\"," +
            $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{config}\",\"size\":2}}," +
            $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{missing}\",\"size\":10}}]}}");

        using var response = await Client.PutManifestAsync(repository, "broken", manifest, MediaTypes.OciManifest);

        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        Assert.Contains(missing.ToString(), message, StringComparison.Ordinal);
        using var get = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/broken"));
        await get.AssertErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Put_ReferencingBlobOfAnotherRepository_Answers400ManifestBlobUnknown()
    {
        var other = Oci.Repository();
        var manifest = await Client.PushImageAsync(other);

        using var response = await Client.PutManifestAsync(Oci.Repository(), "latest", manifest, MediaTypes.OciManifest);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Put_IndexReferencingMissingManifest_Answers400ManifestBlobUnknown()
    {
        var repository = Oci.Repository();
        var child = await Client.PushImageAsync(repository);
        var index = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[{Oci.Descriptor(MediaTypes.OciManifest, child)}]}}");

        using var response = await Client.PutManifestAsync(repository, "index", index, MediaTypes.OciIndex);

        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        Assert.Contains(Oci.DigestOf(child).ToString(), message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MediaTypes.DockerSchema1Signed)]
    [InlineData(MediaTypes.DockerSchema1)]
    [InlineData("application/json")]
    public async Task Put_Schema1_Answers400ManifestInvalidWithClearMessage(string contentType)
    {
        var repository = Oci.Repository();
        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":1,\"name\":\"" + repository + "\",\"tag\":\"old\",\"architecture\":\"amd64\",\"fsLayers\":[],\"history\":[]}");

        using var response = await Client.PutManifestAsync(repository, "old", manifest, contentType);

        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        Assert.Contains("schema 1", message, StringComparison.Ordinal);
        Assert.Contains("not supported", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"schemaVersion\":3}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:1\",\"size\":1},\"layers\":[]}")]
    public async Task Put_InvalidManifest_Answers400ManifestInvalid(string body)
    {
        using var response = await Client.PutManifestAsync(Oci.Repository(), "bad", Encoding.UTF8.GetBytes(body), MediaTypes.OciManifest);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Put_MediaTypeDisagreeingWithContentType_Answers400ManifestInvalid()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);

        using var response = await Client.PutManifestAsync(repository, "latest", manifest, MediaTypes.DockerManifest);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Put_LargerThanLimit_Answers413()
    {
        var repository = Oci.Repository();
        var padding = new string(' ', 4 * 1024 * 1024);
        var manifest = Encoding.UTF8.GetBytes("{\"schemaVersion\":2," + padding + "\"manifests\":[]}");

        using var response = await Client.PutManifestAsync(repository, "huge", manifest, MediaTypes.OciIndex);

        await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
    }

    [Fact]
    public async Task Put_ExactlyFourMebibytes_Answers201()
    {
        var repository = Oci.Repository();
        var prefix = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]";
        var manifest = Encoding.UTF8.GetBytes(prefix + new string(' ', (4 * 1024 * 1024) - prefix.Length - 1) + "}");

        var digest = await Client.PushManifestAsync(repository, "big", manifest, MediaTypes.OciIndex);

        Assert.Equal(4 * 1024 * 1024, manifest.Length);
        Assert.Equal(Oci.DigestOf(manifest), digest);
    }

    [Fact]
    public async Task Put_LargerThanLimitWithoutContentLength_Answers413()
    {
        var manifest = Encoding.UTF8.GetBytes("{\"schemaVersion\":2," + new string(' ', 4 * 1024 * 1024) + "\"manifests\":[]}");
        using var body = new StreamContent(new UnseekableStream(manifest));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(MediaTypes.OciIndex);
        using var request = new HttpRequestMessage(HttpMethod.Put, Oci.Path($"/v2/{Oci.Repository()}/manifests/huge")) { Content = body };
        request.Headers.TransferEncodingChunked = true;

        using var response = await Client.SendAsync(request);

        await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
    }

    [Fact]
    public async Task Put_DigestReferenceNotMatchingContent_Answers400DigestInvalid()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var other = Oci.DigestOf(Oci.RandomBytes(10));

        using var response = await Client.PutManifestAsync(repository, other.ToString(), manifest, MediaTypes.OciManifest);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var get = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{Oci.DigestOf(manifest)}"));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Put_SameManifestUnderSecondTag_BothTagsResolveToIt()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var first = await Client.PushManifestAsync(repository, "a", manifest, MediaTypes.OciManifest);

        var second = await Client.PushManifestAsync(repository, "b", manifest, MediaTypes.OciManifest);
        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/b"));

        Assert.Equal(first, second);
        Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_ExistingTag_MovesTagToNewManifest()
    {
        var repository = Oci.Repository();
        var old = await Client.PushImageAsync(repository);
        var current = await Client.PushImageAsync(repository);
        await Client.PushManifestAsync(repository, "latest", old, MediaTypes.OciManifest);

        var digest = await Client.PushManifestAsync(repository, "latest", current, MediaTypes.OciManifest);
        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/latest"));

        Assert.Equal(digest.ToString(), response.Header("Docker-Content-Digest"));
        Assert.Equal(current, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("-leading-dash")]
    [InlineData(".dot")]
    [InlineData(".INVALID_MANIFEST_NAME")]
    [InlineData("has+plus")]
    public async Task Put_InvalidTag_Answers400(string tag)
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);

        using var response = await Client.PutManifestAsync(repository, tag, manifest, MediaTypes.OciManifest);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "TAG_INVALID");
    }

    [Fact]
    public async Task Put_TagEndingInNewline_Answers400AndNoTagIsCreated()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        await Client.PushManifestAsync(repository, "kept", manifest, MediaTypes.OciManifest);

        using var response = await Client.PutManifestAsync(repository, "latest%0A", manifest, MediaTypes.OciManifest);
        using var tags = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list"));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "TAG_INVALID");
        Assert.Equal($"{{\"name\":\"{repository}\",\"tags\":[\"kept\"]}}", await tags.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Put_TagLongerThan128_Answers400()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);

        using var response = await Client.PutManifestAsync(repository, new string('t', 129), manifest, MediaTypes.OciManifest);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "TAG_INVALID");
    }

    [Fact]
    public async Task Put_TagOf128Characters_Answers201()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);

        await Client.PushManifestAsync(repository, "T_" + new string('9', 126), manifest, MediaTypes.OciManifest);
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData(".INVALID_MANIFEST_NAME")]
    [InlineData("sha256:abc")]
    public async Task Get_ReferenceThatCannotExist_Answers404ManifestUnknown(string reference)
    {
        using var response = await Client.GetAsync(Oci.Path($"/v2/{Oci.Repository()}/manifests/{reference}"));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Head_ReferenceThatCannotExist_Answers404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, Oci.Path($"/v2/{Oci.Repository()}/manifests/.INVALID_MANIFEST_NAME"));
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownTag_Answers404ManifestUnknown()
    {
        var repository = Oci.Repository();
        await Client.PushManifestAsync(repository, "exists", await Client.PushImageAsync(repository), MediaTypes.OciManifest);

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/missing"));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Get_ManifestOfAnotherRepository_Answers404ManifestUnknown()
    {
        var repository = Oci.Repository();
        var digest = await Client.PushManifestAsync(repository, "latest", await Client.PushImageAsync(repository), MediaTypes.OciManifest);

        using var response = await Client.GetAsync(Oci.Path($"/v2/{Oci.Repository()}/manifests/{digest}"));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Head_UnknownManifest_Answers404WithoutBody()
    {
        using var response = await Client.SendAsync(HttpMethod.Head, $"/v2/{Oci.Repository()}/manifests/latest");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Delete_Tag_Answers202AndManifestStaysReachableByDigest()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var digest = await Client.PushManifestAsync(repository, "gone", manifest, MediaTypes.OciManifest);

        using var deleted = await Client.DeleteAsync(Oci.Path($"/v2/{repository}/manifests/gone"));
        using var byTag = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/gone"));
        using var byDigest = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{digest}"));

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await byTag.AssertErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
        Assert.Equal(manifest, await byDigest.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Delete_ByDigest_Answers202AndRemovesManifestAndItsTags()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        var digest = await Client.PushManifestAsync(repository, "one", manifest, MediaTypes.OciManifest);
        await Client.PushManifestAsync(repository, "two", manifest, MediaTypes.OciManifest);
        var keep = await Client.PushImageAsync(repository);
        await Client.PushManifestAsync(repository, "keep", keep, MediaTypes.OciManifest);

        using var deleted = await Client.DeleteAsync(Oci.Path($"/v2/{repository}/manifests/{digest}"));
        using var byDigest = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{digest}"));
        using var one = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/one"));
        using var two = await Client.SendAsync(HttpMethod.Head, $"/v2/{repository}/manifests/two");
        using var tags = await Client.GetAsync(Oci.Path($"/v2/{repository}/tags/list"));

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await byDigest.AssertErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await one.AssertErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(HttpStatusCode.NotFound, two.StatusCode);
        Assert.Equal($"{{\"name\":\"{repository}\",\"tags\":[\"keep\"]}}", await tags.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("never-pushed")]
    [InlineData("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")]
    public async Task Delete_UnknownReference_Answers404ManifestUnknown(string reference)
    {
        using var response = await Client.DeleteAsync(Oci.Path($"/v2/{Oci.Repository()}/manifests/{reference}"));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    private sealed class UnseekableStream(byte[] content) : MemoryStream(content, writable: false)
    {
        public override bool CanSeek => false;
    }
}
