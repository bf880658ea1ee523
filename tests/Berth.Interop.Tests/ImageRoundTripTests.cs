using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests;

[Collection(RegistryCollection.Name)]
public sealed class ImageRoundTripTests(RegistryFixture fixture)
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task BuildahPush_MultiLayerImage_SkopeoCopiesItBackWithSameDigests()
    {
        await using var clients = ClientSandbox.Create(Server);
        using var http = new RegistryHttp(Server.BaseAddress);
        var image = await Images.BuildAsync(clients, "localhost/roundtrip:1", layers: 3);
        var reference = $"docker://{Server.HostPort}/interop/roundtrip:v1";

        await clients.BuildahAsync("push", "--tls-verify=false", image, reference);

        var served = await http.GetManifestAsync("interop/roundtrip", "v1");
        Assert.Equal(System.Net.HttpStatusCode.OK, served.Status);
        Assert.Equal(Sha256.Of(served.Body), served.Digest);
        var manifest = JsonNode.Parse(served.Body)!;
        var layers = manifest["layers"]!.AsArray().Select(l => (string)l!["digest"]!).ToList();
        Assert.Equal(3, layers.Count);

        var raw = await clients.SkopeoAsync("inspect", "--tls-verify=false", "--raw", reference);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(served.Body).TrimEnd(), raw.StandardOutput.TrimEnd());

        var layout = clients.PathOf("pulled");
        await clients.SkopeoAsync("copy", "--insecure-policy", "--src-tls-verify=false", "--preserve-digests", reference, $"oci:{layout}:v1");

        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        Assert.Equal(served.Digest, (string?)index["manifests"]![0]!["digest"]);
        foreach (var digest in layers.Append((string)manifest["config"]!["digest"]!))
        {
            var blob = Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
            Assert.Equal(digest, Sha256.OfFile(blob));
        }
    }

    [Fact]
    public async Task BuildahPush_DockerFormat_ServedAsDockerSchema2AndCopiedBackByteForByte()
    {
        await using var clients = ClientSandbox.Create(Server);
        using var http = new RegistryHttp(Server.BaseAddress);
        var image = await Images.BuildAsync(clients, "localhost/docker-format:1", layers: 2);
        var reference = $"docker://{Server.HostPort}/interop/docker-format:v1";

        await clients.BuildahAsync("push", "--format", "docker", "--tls-verify=false", image, reference);

        var served = await http.GetManifestAsync("interop/docker-format", "v1");
        Assert.Equal(MediaTypes.DockerManifest, served.MediaType);
        Assert.Equal(Sha256.Of(served.Body), served.Digest);
        var copy = clients.PathOf("copied");
        await clients.SkopeoAsync("copy", "--insecure-policy", "--src-tls-verify=false", "--preserve-digests", reference, $"dir:{copy}");
        Assert.Equal(served.Body, File.ReadAllBytes(Path.Combine(copy, "manifest.json")));
        foreach (var layer in JsonNode.Parse(served.Body)!["layers"]!.AsArray().Select(l => (string)l!["digest"]!))
        {
            Assert.Equal(layer, Sha256.OfFile(Path.Combine(copy, layer["sha256:".Length..])));
        }
    }

    [Fact]
    public async Task PodmanPush_Image_PodmanPullIntoFreshStorageGetsSameImage()
    {
        await using var builder = ClientSandbox.Create(Server);
        await using var puller = ClientSandbox.Create(Server);
        using var http = new RegistryHttp(Server.BaseAddress);
        var image = await Images.BuildAsync(builder, "localhost/podman:1", layers: 2);
        var reference = $"{Server.HostPort}/interop/podman:v1";

        await builder.PodmanAsync("push", "--tls-verify=false", image, $"docker://{reference}");
        await puller.PodmanAsync("pull", "--quiet", "--tls-verify=false", reference);

        var served = await http.GetManifestAsync("interop/podman", "v1");
        var pulledDigest = (await puller.PodmanAsync("image", "inspect", "--format", "{{.Digest}}", reference)).StandardOutput.Trim();
        Assert.Equal(served.Digest, pulledDigest);
        var builtId = (await builder.PodmanAsync("image", "inspect", "--format", "{{.Id}}", image)).StandardOutput.Trim();
        var pulledId = (await puller.PodmanAsync("image", "inspect", "--format", "{{.Id}}", reference)).StandardOutput.Trim();
        Assert.Equal(builtId, pulledId);
    }

    [Fact]
    public async Task SkopeoInspect_PushedImage_ReportsDigestLayersAndPlatform()
    {
        await using var clients = ClientSandbox.Create(Server);
        using var http = new RegistryHttp(Server.BaseAddress);
        var image = await Images.BuildAsync(clients, "localhost/inspect:1", layers: 2, architecture: "arm64");
        var reference = $"docker://{Server.HostPort}/interop/inspect:v1";
        await clients.BuildahAsync("push", "--tls-verify=false", image, reference);

        var inspected = JsonNode.Parse((await clients.SkopeoAsync("inspect", "--tls-verify=false", reference)).StandardOutput)!;

        var served = await http.GetManifestAsync("interop/inspect", "v1");
        var layers = JsonNode.Parse(served.Body)!["layers"]!.AsArray().Select(l => (string?)l!["digest"]);
        Assert.Equal(served.Digest, (string?)inspected["Digest"]);
        Assert.Equal(layers, inspected["Layers"]!.AsArray().Select(l => (string?)l));
        Assert.Equal("arm64", (string?)inspected["Architecture"]);
        Assert.Equal("linux", (string?)inspected["Os"]);
        Assert.Contains("v1", inspected["RepoTags"]!.AsArray().Select(t => (string?)t));
    }
}
