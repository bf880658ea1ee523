using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;
using Berth.Storage.S3.Tests;

namespace Berth.Interop.Tests;

/// <summary>
/// Real clients against Berth with its blobs in an S3 bucket (s3rver from ./test.sh): buildah pushes,
/// skopeo copies back byte for byte, podman pulls into fresh storage.
/// </summary>
public sealed class S3StorageTests : IAsyncLifetime
{
    private TempDirectory data = null!;
    private RegistryServer server = null!;

    public async Task InitializeAsync()
    {
        var bucket = TestBucket.FromEnvironment();
        data = TempDirectory.Create("s3-data");
        var config = data.Combine("berth.yaml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            storage:
              blobs: s3
              s3:
                bucket: {bucket.Bucket}
                endpoint: {bucket.Endpoint}
                forcePathStyle: true
                prefix: interop/{Guid.NewGuid():N}/
                accessKeyId: {bucket.AccessKeyId}
                secretAccessKey: {bucket.SecretAccessKey}
            """));
        server = await RegistryServer.StartBerthAsync(data.Combine("registry"), config, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await data.DisposeAsync();
    }

    [Fact]
    public async Task BuildahPush_BlobsInS3_SkopeoCopiesBackAndPodmanPullsTheSameImage()
    {
        await using var clients = ClientSandbox.Create(server);
        await using var puller = ClientSandbox.Create(server);
        using var http = new RegistryHttp(server.BaseAddress);
        var image = await Images.BuildAsync(clients, "localhost/s3:1", layers: 3);
        var reference = $"{server.HostPort}/interop/s3:v1";

        await clients.BuildahAsync("push", "--tls-verify=false", image, $"docker://{reference}");

        var served = await http.GetManifestAsync("interop/s3", "v1");
        Assert.Equal(System.Net.HttpStatusCode.OK, served.Status);
        var manifest = JsonNode.Parse(served.Body)!;
        var layout = clients.PathOf("pulled");
        await clients.SkopeoAsync("copy", "--insecure-policy", "--src-tls-verify=false", "--preserve-digests", $"docker://{reference}", $"oci:{layout}:v1");
        foreach (var digest in manifest["layers"]!.AsArray().Select(l => (string)l!["digest"]!).Append((string)manifest["config"]!["digest"]!))
        {
            Assert.Equal(digest, Sha256.OfFile(Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..])));
        }

        await puller.PodmanAsync("pull", "--quiet", "--tls-verify=false", reference);
        Assert.Equal(served.Digest, (await puller.PodmanAsync("image", "inspect", "--format", "{{.Digest}}", reference)).StandardOutput.Trim());
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "blobs", "sha256")), "blobs landed in the data folder instead of the bucket");
    }
}
