using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests;

[Collection(RegistryCollection.Name)]
public sealed partial class CrossRepositoryMountTests(RegistryFixture fixture)
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task SkopeoCopy_ToSecondRepository_MountsEveryLayerInsteadOfUploading()
    {
        await using var clients = ClientSandbox.Create(Server);
        using var http = new RegistryHttp(Server.BaseAddress);
        var image = await Images.BuildAsync(clients, "localhost/mount:1", layers: 3);
        await clients.BuildahAsync("push", "--tls-verify=false", image, $"docker://{Server.HostPort}/interop/mount-source:v1");
        var source = await http.GetManifestAsync("interop/mount-source", "v1");
        var layers = JsonNode.Parse(source.Body)!["layers"]!.AsArray().Select(l => (string)l!["digest"]!).ToList();

        var copy = await clients.SkopeoAsync(
            "--debug", "copy", "--insecure-policy", "--src-tls-verify=false", "--dest-tls-verify=false",
            $"docker://{Server.HostPort}/interop/mount-source:v1", $"docker://{Server.HostPort}/interop/mount-target:v1");

        // skopeo logs "Trying to mount /v2/<target>/blobs/uploads/?from=<repo>&mount=<digest>" and
        // "... mount OK" per layer; only the config blob is uploaded the ordinary way.
        var log = copy.StandardError;
        foreach (var layer in layers)
        {
            var attempt = $"Trying to mount /v2/interop/mount-target/blobs/uploads/?from=";
            Assert.Contains(attempt, log, StringComparison.Ordinal);
            Assert.Contains($"&mount={Uri.EscapeDataString(layer)}", log, StringComparison.Ordinal);
        }
        Assert.True(MountOk().Count(log) >= layers.Count, $"expected {layers.Count} successful mounts in skopeo's log\n{log}");
        Assert.True(PlainUpload().Count(log) <= 1, $"expected only the config blob to be uploaded\n{log}");

        var target = await http.GetManifestAsync("interop/mount-target", "v1");
        Assert.Equal(source.Digest, target.Digest);
        foreach (var layer in layers)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, await http.HeadAsync($"v2/interop/mount-target/blobs/{layer}"));
        }
    }

    [GeneratedRegex(@"\.\.\. mount OK")]
    private static partial Regex MountOk();

    // An upload session opened without ?mount=: a blob sent over the wire instead of mounted.
    [GeneratedRegex("POST http://[^ ]+/v2/interop/mount-target/blobs/uploads/\"")]
    private static partial Regex PlainUpload();
}
