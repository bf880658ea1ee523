using System.Net;
using Berth.Registry.Content;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.Faults;

/// <summary>
/// The data folder on an 8 MiB file system and a 12 MiB upload: the client gets 507 with an OCI error
/// that says the storage is full, the staged bytes are gone at once (not at the upload's expiry), what
/// was pushed before still pulls, and a small push fits again afterwards.
/// </summary>
public sealed class DiskFullTests
{
    private const int FileSystemMegabytes = 8;

    /// <summary>Room for the SQLite file and its write-ahead log to grow while the test runs.</summary>
    private const long Slack = 1024 * 1024;

    private static readonly byte[] TooLarge = Oci.RandomBytes(12 * 1024 * 1024);

    [Fact]
    public async Task Patch_DiskFillsUp_Answers507AndDropsTheUploadWithItsBytes()
    {
        await using var disk = await SmallFileSystem.MountAsync(FileSystemMegabytes);
        await using var server = await RegistryServer.StartAsync(configure: settings => settings with { Storage = settings.Storage with { DataDir = disk.Path } });
        var client = server.Client;
        var repository = Oci.Repository("full");
        var pushed = await PushSmallImageAsync(client, repository);
        var free = disk.AvailableBytes;

        var location = await client.StartUploadAsync(repository);
        using (var patch = await client.PatchAsync(Oci.Path(location), Oci.Octets(TooLarge, $"0-{TooLarge.Length - 1}")))
        {
            var message = await patch.AssertErrorAsync(HttpStatusCode.InsufficientStorage, "BLOB_UPLOAD_INVALID");
            Assert.Contains("storage is full", message, StringComparison.Ordinal);
        }

        using (var status = await client.GetAsync(Oci.Path(location)))
        {
            await status.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(disk.Path, "uploads")));
        Assert.True(disk.AvailableBytes >= free - Slack, $"{free - disk.AvailableBytes} bytes of the refused upload are still on the disk");
        await AssertStillServesAsync(client, repository, pushed);
    }

    [Fact]
    public async Task PostWithDigest_DiskFillsUp_Answers507AndKeepsNothing()
    {
        await using var disk = await SmallFileSystem.MountAsync(FileSystemMegabytes);
        await using var server = await RegistryServer.StartAsync(configure: settings => settings with { Storage = settings.Storage with { DataDir = disk.Path } });
        var client = server.Client;
        var repository = Oci.Repository("full");
        var pushed = await PushSmallImageAsync(client, repository);
        var free = disk.AvailableBytes;

        using (var post = await client.PostAsync(Oci.Path($"/v2/{repository}/blobs/uploads/?digest={Oci.DigestOf(TooLarge)}"), Oci.Octets(TooLarge)))
        {
            var message = await post.AssertErrorAsync(HttpStatusCode.InsufficientStorage, "BLOB_UPLOAD_INVALID");
            Assert.Contains("storage is full", message, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(disk.Path, "ingest")));
        Assert.True(disk.AvailableBytes >= free - Slack, $"{free - disk.AvailableBytes} bytes of the refused upload are still on the disk");
        using (var head = await client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{Oci.DigestOf(TooLarge)}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        await AssertStillServesAsync(client, repository, pushed);
    }

    private static async Task<(Digest Manifest, byte[] Content)> PushSmallImageAsync(HttpClient client, string repository)
    {
        var manifest = await client.PushImageAsync(repository);
        return (await client.PushManifestAsync(repository, "v1", manifest, MediaTypes.OciManifest), manifest);
    }

    /// <summary>The image pushed before the fault pulls whole, and a new small push fits in the freed space.</summary>
    private static async Task AssertStillServesAsync(HttpClient client, string repository, (Digest Manifest, byte[] Content) pushed)
    {
        using (var manifest = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/v1", configure: r => r.Headers.Accept.ParseAdd(MediaTypes.OciManifest)))
        {
            Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
            Assert.Equal(pushed.Content, await manifest.Content.ReadAsByteArrayAsync());
        }

        using var document = System.Text.Json.JsonDocument.Parse(pushed.Content);
        foreach (var layer in document.RootElement.GetProperty("layers").EnumerateArray())
        {
            using var blob = await client.GetAsync(Oci.Path($"/v2/{repository}/blobs/{layer.GetProperty("digest").GetString()}"));
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        }

        await PushSmallImageAsync(client, repository + "-after");
    }
}
