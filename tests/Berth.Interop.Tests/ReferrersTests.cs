using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests;

[Collection(RegistryCollection.Name)]
public sealed class ReferrersTests(RegistryFixture fixture)
{
    private const string SbomType = "application/vnd.example.sbom.v1+json";
    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task PutArtifact_WithSubject_AnswersOciSubjectAndIsListedByReferrers()
    {
        await using var clients = ClientSandbox.Create(Server);
        using var http = new RegistryHttp(Server.BaseAddress);
        var image = await Images.BuildAsync(clients, "localhost/referred:1", layers: 1);
        await clients.BuildahAsync("push", "--tls-verify=false", image, $"docker://{Server.HostPort}/interop/referred:v1");
        var subject = await http.GetManifestAsync("interop/referred", "v1");

        var configDigest = await http.PushBlobAsync("interop/referred", EmptyConfig);
        var sbom = Encoding.UTF8.GetBytes($$"""{"sbom":"{{Guid.NewGuid()}}"}""");
        var sbomDigest = await http.PushBlobAsync("interop/referred", sbom);
        var artifact = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = SbomType,
            ["config"] = Descriptor(MediaTypes.OciEmpty, configDigest, EmptyConfig.Length),
            ["layers"] = new JsonArray(Descriptor(SbomType, sbomDigest, sbom.Length)),
            ["subject"] = Descriptor(subject.MediaType!, subject.Digest!, subject.Body.Length),
            ["annotations"] = new JsonObject { ["org.example.kind"] = "sbom" },
        }.ToJsonString());
        var artifactDigest = Sha256.Of(artifact);

        using var put = await http.PutManifestAsync("interop/referred", artifactDigest, MediaTypes.OciManifest, artifact);

        await RegistryHttp.ExpectAsync(put, HttpStatusCode.Created);
        Assert.Equal(subject.Digest, RegistryHttp.Header(put, "OCI-Subject"));
        Assert.Equal(artifactDigest, RegistryHttp.Header(put, "Docker-Content-Digest"));

        using var referrers = await http.Client.GetAsync($"v2/interop/referred/referrers/{subject.Digest}");
        await RegistryHttp.ExpectAsync(referrers, HttpStatusCode.OK);
        Assert.Equal(MediaTypes.OciIndex, referrers.Content.Headers.ContentType?.MediaType);
        var listed = Assert.Single(JsonNode.Parse(await referrers.Content.ReadAsStringAsync())!["manifests"]!.AsArray());
        Assert.Equal(artifactDigest, (string?)listed!["digest"]);
        Assert.Equal(MediaTypes.OciManifest, (string?)listed["mediaType"]);
        Assert.Equal(artifact.Length, (long?)listed["size"]);
        Assert.Equal(SbomType, (string?)listed["artifactType"]);
        Assert.Equal("sbom", (string?)listed["annotations"]?["org.example.kind"]);
    }

    [Fact]
    public async Task GetReferrers_WithArtifactTypeFilter_ListsOnlyMatchesAndSaysFilterApplied()
    {
        using var http = new RegistryHttp(Server.BaseAddress);
        var subjectConfig = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","nonce":"{{Guid.NewGuid()}}"}""");
        var configDigest = await http.PushBlobAsync("interop/filtered", subjectConfig);
        var subject = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", configDigest, subjectConfig.Length),
            ["layers"] = new JsonArray(),
        }.ToJsonString());
        using (var putSubject = await http.PutManifestAsync("interop/filtered", "v1", MediaTypes.OciManifest, subject))
        {
            await RegistryHttp.ExpectAsync(putSubject, HttpStatusCode.Created);
        }
        var emptyDigest = await http.PushBlobAsync("interop/filtered", EmptyConfig);
        var wanted = await PutArtifactAsync(http, "interop/filtered", SbomType, emptyDigest, subject);
        await PutArtifactAsync(http, "interop/filtered", "application/vnd.example.signature.v1", emptyDigest, subject);

        using var all = await http.Client.GetAsync($"v2/interop/filtered/referrers/{Sha256.Of(subject)}");
        await RegistryHttp.ExpectAsync(all, HttpStatusCode.OK);
        Assert.Equal(2, JsonNode.Parse(await all.Content.ReadAsStringAsync())!["manifests"]!.AsArray().Count);

        using var filtered = await http.Client.GetAsync(
            $"v2/interop/filtered/referrers/{Sha256.Of(subject)}?artifactType={Uri.EscapeDataString(SbomType)}");
        await RegistryHttp.ExpectAsync(filtered, HttpStatusCode.OK);
        Assert.Equal("artifactType", RegistryHttp.Header(filtered, "OCI-Filters-Applied"));
        var only = Assert.Single(JsonNode.Parse(await filtered.Content.ReadAsStringAsync())!["manifests"]!.AsArray());
        Assert.Equal(wanted, (string?)only!["digest"]);
    }

    private static async Task<string> PutArtifactAsync(RegistryHttp http, string repository, string artifactType, string emptyDigest, byte[] subject)
    {
        var artifact = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = artifactType,
            ["config"] = Descriptor(MediaTypes.OciEmpty, emptyDigest, EmptyConfig.Length),
            ["layers"] = new JsonArray(Descriptor(MediaTypes.OciEmpty, emptyDigest, EmptyConfig.Length)),
            ["subject"] = Descriptor(MediaTypes.OciManifest, Sha256.Of(subject), subject.Length),
        }.ToJsonString());
        var digest = Sha256.Of(artifact);
        using var put = await http.PutManifestAsync(repository, digest, MediaTypes.OciManifest, artifact);
        await RegistryHttp.ExpectAsync(put, HttpStatusCode.Created);
        Assert.Equal(Sha256.Of(subject), RegistryHttp.Header(put, "OCI-Subject"));
        return digest;
    }

    private static JsonObject Descriptor(string mediaType, string digest, long size) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = digest,
        ["size"] = size,
    };
}
