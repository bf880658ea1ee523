using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Registry.Content;

namespace Berth.Tests.Http.Registry;

/// <summary>The referrers API (end-12) and OCI-Subject on manifest PUT.</summary>
public sealed class ReferrersTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Referrers_NoReferrers_Answers200EmptyIndex()
    {
        var repository = Oci.Repository();
        var subject = await PushSubjectAsync(repository);

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/referrers/{subject.Digest}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaTypes.OciIndex, response.Content.Headers.ContentType?.ToString());
        using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, index.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(MediaTypes.OciIndex, index.RootElement.GetProperty("mediaType").GetString());
        Assert.Empty(index.RootElement.GetProperty("manifests").EnumerateArray());
    }

    [Fact]
    public async Task Referrers_UnknownRepository_Answers200EmptyIndex()
    {
        using var response = await Client.GetAsync(Oci.Path($"/v2/{Oci.Repository()}/referrers/{Oci.EmptyConfigDigest}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(index.RootElement.GetProperty("manifests").EnumerateArray());
    }

    [Fact]
    public async Task Put_ArtifactWithSubject_AnswersOciSubjectHeader()
    {
        var repository = Oci.Repository();
        var subject = await PushSubjectAsync(repository);
        var artifact = await ArtifactAsync(repository, "application/vnd.example.sbom", subject, "{\"org.example.kind\":\"sbom\"}");

        using var response = await Client.PutManifestAsync(repository, Oci.DigestOf(artifact).ToString(), artifact, MediaTypes.OciManifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(subject.Digest.ToString(), response.Header("OCI-Subject"));
    }

    [Fact]
    public async Task Put_ManifestWithoutSubject_HasNoOciSubjectHeader()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);

        using var response = await Client.PutManifestAsync(repository, "plain", manifest, MediaTypes.OciManifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("OCI-Subject"));
    }

    [Fact]
    public async Task Referrers_ArtifactWithSubject_IsListedWithArtifactTypeAndAnnotations()
    {
        var repository = Oci.Repository();
        var subject = await PushSubjectAsync(repository);
        var artifact = await ArtifactAsync(repository, "application/vnd.example.sbom", subject, "{\"org.example.kind\":\"sbom\",\"org.opencontainers.image.created\":\"2025-01-01T00:00:00Z\"}");
        var digest = await Client.PushManifestAsync(repository, Oci.DigestOf(artifact).ToString(), artifact, MediaTypes.OciManifest);

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/referrers/{subject.Digest}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("OCI-Filters-Applied"));
        using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var descriptor = Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal(MediaTypes.OciManifest, descriptor.GetProperty("mediaType").GetString());
        Assert.Equal(digest.ToString(), descriptor.GetProperty("digest").GetString());
        Assert.Equal(artifact.Length, descriptor.GetProperty("size").GetInt64());
        Assert.Equal("application/vnd.example.sbom", descriptor.GetProperty("artifactType").GetString());
        Assert.Equal("sbom", descriptor.GetProperty("annotations").GetProperty("org.example.kind").GetString());
        Assert.Equal("2025-01-01T00:00:00Z", descriptor.GetProperty("annotations").GetProperty("org.opencontainers.image.created").GetString());
    }

    [Fact]
    public async Task Referrers_ImageManifestWithoutArtifactType_FallsBackToConfigMediaType()
    {
        var repository = Oci.Repository();
        var subject = await PushSubjectAsync(repository);
        var referrer = await Client.PushImageAsync(repository, subject: Oci.Descriptor(MediaTypes.OciManifest, subject.Content));
        await Client.PushManifestAsync(repository, "signature", referrer, MediaTypes.OciManifest);

        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/referrers/{subject.Digest}"));

        using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var descriptor = Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal("application/vnd.oci.image.config.v1+json", descriptor.GetProperty("artifactType").GetString());
    }

    [Fact]
    public async Task Referrers_SubjectNotPushed_IsStillAcceptedAndListed()
    {
        var repository = Oci.Repository();
        var absent = "{\"never\":\"pushed\"}"u8.ToArray();
        var artifact = await ArtifactAsync(repository, "application/vnd.example.sig", (Oci.DigestOf(absent), absent), null);

        await Client.PushManifestAsync(repository, Oci.DigestOf(artifact).ToString(), artifact, MediaTypes.OciManifest);
        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/referrers/{Oci.DigestOf(absent)}"));

        using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray());
    }

    [Fact]
    public async Task Referrers_ArtifactTypeFilter_ListsOnlyThatTypeAndSaysFilterApplied()
    {
        var repository = Oci.Repository();
        var subject = await PushSubjectAsync(repository);
        var sbom = await ArtifactAsync(repository, "application/vnd.example.sbom", subject, null);
        var signature = await ArtifactAsync(repository, "application/vnd.example.signature", subject, null);
        var sbomDigest = await Client.PushManifestAsync(repository, Oci.DigestOf(sbom).ToString(), sbom, MediaTypes.OciManifest);
        await Client.PushManifestAsync(repository, Oci.DigestOf(signature).ToString(), signature, MediaTypes.OciManifest);

        using var all = await Client.GetAsync(Oci.Path($"/v2/{repository}/referrers/{subject.Digest}"));
        using var filtered = await Client.GetAsync(Oci.Path($"/v2/{repository}/referrers/{subject.Digest}?artifactType=application/vnd.example.sbom"));

        using var allIndex = JsonDocument.Parse(await all.Content.ReadAsStringAsync());
        Assert.Equal(2, allIndex.RootElement.GetProperty("manifests").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, filtered.StatusCode);
        Assert.Equal("artifactType", filtered.Header("OCI-Filters-Applied"));
        using var filteredIndex = JsonDocument.Parse(await filtered.Content.ReadAsStringAsync());
        var descriptor = Assert.Single(filteredIndex.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal(sbomDigest.ToString(), descriptor.GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Referrers_DeletedReferrer_IsNoLongerListed()
    {
        var repository = Oci.Repository();
        var subject = await PushSubjectAsync(repository);
        var artifact = await ArtifactAsync(repository, "application/vnd.example.sbom", subject, null);
        var digest = await Client.PushManifestAsync(repository, Oci.DigestOf(artifact).ToString(), artifact, MediaTypes.OciManifest);

        using var deleted = await Client.DeleteAsync(Oci.Path($"/v2/{repository}/manifests/{digest}"));
        using var response = await Client.GetAsync(Oci.Path($"/v2/{repository}/referrers/{subject.Digest}"));

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(index.RootElement.GetProperty("manifests").EnumerateArray());
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("sha256:123")]
    public async Task Referrers_InvalidDigest_Answers400DigestInvalid(string reference)
    {
        using var response = await Client.GetAsync(Oci.Path($"/v2/{Oci.Repository()}/referrers/{reference}"));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    private async Task<(Digest Digest, byte[] Content)> PushSubjectAsync(string repository)
    {
        var manifest = await Client.PushImageAsync(repository);
        var digest = await Client.PushManifestAsync(repository, "subject", manifest, MediaTypes.OciManifest);
        return (digest, manifest);
    }

    /// <summary>An OCI artifact manifest with the empty config, one layer, a subject and optional annotations.</summary>
    private async Task<byte[]> ArtifactAsync(string repository, string artifactType, (Digest Digest, byte[] Content) subject, string? annotations)
    {
        await Client.PushBlobAsync(repository, "{}"u8.ToArray());
        var payload = Encoding.UTF8.GetBytes(Guid.NewGuid().ToString());
        var payloadDigest = await Client.PushBlobAsync(repository, payload);
        return Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"artifactType\":\"{artifactType}\"," +
            $"\"config\":{{\"mediaType\":\"{MediaTypes.OciEmpty}\",\"digest\":\"{Oci.EmptyConfigDigest}\",\"size\":2}}," +
            $"\"layers\":[{{\"mediaType\":\"application/octet-stream\",\"digest\":\"{payloadDigest}\",\"size\":{payload.Length}}}]," +
            $"\"subject\":{Oci.Descriptor(MediaTypes.OciManifest, subject.Content)}" +
            (annotations is null ? string.Empty : $",\"annotations\":{annotations}") + "}");
    }
}
