using System.Net;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests;

[Collection(RegistryCollection.Name)]
public sealed class MultiArchIndexTests(RegistryFixture fixture)
{
    private RegistryServer Server => fixture.Server;

    [Theory]
    [InlineData("oci", MediaTypes.OciIndex)]
    [InlineData("v2s2", MediaTypes.DockerManifestList)]
    public async Task BuildahManifestPushAll_TwoPlatforms_IndexServedAndEachPlatformResolves(string format, string indexMediaType)
    {
        await using var clients = ClientSandbox.Create(Server);
        using var http = new RegistryHttp(Server.BaseAddress);
        var amd64 = await Images.BuildAsync(clients, "localhost/multi:amd64", layers: 2, architecture: "amd64");
        var arm64 = await Images.BuildAsync(clients, "localhost/multi:arm64", layers: 1, architecture: "arm64");
        await clients.BuildahAsync("manifest", "create", "localhost/multi:list");
        await clients.BuildahAsync("manifest", "add", "--arch", "amd64", "--os", "linux", "localhost/multi:list", $"containers-storage:{amd64}");
        await clients.BuildahAsync("manifest", "add", "--arch", "arm64", "--os", "linux", "localhost/multi:list", $"containers-storage:{arm64}");
        var reference = $"docker://{Server.HostPort}/interop/multi-{format}:v1";

        await clients.BuildahAsync("manifest", "push", "--all", "--format", format, "--tls-verify=false", "localhost/multi:list", reference);

        var index = await http.GetManifestAsync($"interop/multi-{format}", "v1");
        Assert.Equal(HttpStatusCode.OK, index.Status);
        Assert.Equal(indexMediaType, index.MediaType);
        Assert.Equal(Sha256.Of(index.Body), index.Digest);
        var children = JsonNode.Parse(index.Body)!["manifests"]!.AsArray()
            .ToDictionary(m => (string)m!["platform"]!["architecture"]!, m => (string)m!["digest"]!);
        Assert.Equal(["amd64", "arm64"], children.Keys.Order());

        var raw = await clients.SkopeoAsync("inspect", "--tls-verify=false", "--raw", reference);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(index.Body).TrimEnd(), raw.StandardOutput.TrimEnd());

        foreach (var (architecture, digest) in children)
        {
            var child = await http.GetManifestAsync($"interop/multi-{format}", digest);
            Assert.Equal(HttpStatusCode.OK, child.Status);
            Assert.Equal(digest, Sha256.Of(child.Body));

            var inspected = JsonNode.Parse((await clients.SkopeoAsync(
                "inspect", "--tls-verify=false", "--override-arch", architecture, "--override-os", "linux", reference)).StandardOutput)!;
            Assert.Equal(architecture, (string?)inspected["Architecture"]);
        }

        // dir: keeps every manifest byte-for-byte (manifest.json, <hex>.manifest.json per instance).
        var copy = clients.PathOf("pulled");
        await clients.SkopeoAsync("copy", "--all", "--insecure-policy", "--src-tls-verify=false", "--preserve-digests", reference, $"dir:{copy}");
        Assert.Equal(index.Body, File.ReadAllBytes(Path.Combine(copy, "manifest.json")));
        foreach (var digest in children.Values)
        {
            Assert.Equal(digest, Sha256.OfFile(Path.Combine(copy, $"{digest["sha256:".Length..]}.manifest.json")));
        }
    }
}
