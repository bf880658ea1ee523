using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Berth.Registry.Content;
using Berth.Tests.Cli;
using Berth.Tests.Hosting;
using Berth.Tests.Http.Registry;
using Microsoft.Data.Sqlite;

namespace Berth.Tests.Backups;

/// <summary>
/// <c>berth backup</c> while a real <c>berth serve</c> takes pushes, then <c>berth restore</c> into a fresh
/// data folder and a new server: everything pushed before the backup pulls back byte for byte, and whatever
/// the backup caught of the pushes during it is whole.
/// </summary>
public sealed class BackupRestoreTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("berth-backup-").FullName;

    private string Original => Path.Combine(folder, "original");

    private string Restored => Path.Combine(folder, "restored");

    private string BackupDir => Path.Combine(folder, "backup");

    [Fact]
    public async Task Restore_OfABackupTakenDuringPushes_PullsEverythingByteExact()
    {
        var before = new List<PushedImage>();
        var during = new ConcurrentBag<PushedImage>();
        await using (var server = await ServeProcess.StartAsync(Original, new Dictionary<string, string>()))
        {
            for (var i = 0; i < 4; i++)
            {
                before.Add(await PushedImage.PushAsync(server.Client, Oci.Repository("before"), $"v{i}"));
            }

            using var stop = new CancellationTokenSource();
            var pushing = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested && i < 200; i++)
                {
                    during.Add(await PushedImage.PushAsync(server.Client, Oci.Repository("during"), "latest"));
                }
            });

            var backup = await BerthProcess.RunAsync(null, "backup", "--to", BackupDir, "--data", Original);
            await stop.CancelAsync();
            await pushing;

            Assert.True(backup.ExitCode == 0, backup.Output + backup.Error);
            Assert.Contains("metadata: schema version", backup.Output, StringComparison.Ordinal);
        }

        var restore = await BerthProcess.RunAsync(null, "restore", "--from", BackupDir, "--data", Restored);
        Assert.True(restore.ExitCode == 0, restore.Output + restore.Error);

        await using var restored = await ServeProcess.StartAsync(Restored, new Dictionary<string, string>());
        foreach (var image in before)
        {
            await image.AssertPullsAsync(restored.Client);
        }

        var caught = 0;
        foreach (var image in during)
        {
            using var head = await restored.Client.SendAsync(HttpMethod.Head, $"/v2/{image.Repository}/manifests/{image.Tag}");
            if (head.StatusCode == HttpStatusCode.OK)
            {
                await image.AssertPullsAsync(restored.Client);
                caught++;
            }
        }

        Assert.True(during.Count > 0, "no push ran during the backup");
        Assert.True(caught <= during.Count);
    }

    [Fact]
    public async Task Restore_IntoAFolderThatHasAMetadataStore_RefusesInOneLine()
    {
        await using (var server = await ServeProcess.StartAsync(Original, new Dictionary<string, string>()))
        {
            await PushedImage.PushAsync(server.Client, Oci.Repository(), "v1");
            var backup = await BerthProcess.RunAsync(null, "backup", "--to", BackupDir, "--data", Original, "--metadata-only");
            Assert.True(backup.ExitCode == 0, backup.Output + backup.Error);
            Assert.False(Directory.Exists(Path.Combine(BackupDir, "blobs")));
        }

        var restore = await BerthProcess.RunAsync(null, "restore", "--from", BackupDir, "--data", Original);

        SchemaAssert.RefusedInOneLine(restore, $"berth: {Path.Combine(Original, "metadata.db")} already exists");
    }

    [Fact]
    public async Task Backup_IntoAFolderThatIsNotEmpty_RefusesInOneLine()
    {
        Directory.CreateDirectory(BackupDir);
        await File.WriteAllTextAsync(Path.Combine(BackupDir, "something"), "x");

        var backup = await BerthProcess.RunAsync(null, "backup", "--to", BackupDir, "--data", Original);

        SchemaAssert.RefusedInOneLine(backup, $"berth: {BackupDir} is not empty");
    }

    [Fact]
    public async Task Backup_OfPostgres_PointsToPgDump()
    {
        var environment = new Dictionary<string, string>
        {
            ["BERTH_STORAGE__METADATA"] = "postgres",
            ["BERTH_STORAGE__POSTGRES__CONNECTIONSTRING"] = "Host=127.0.0.1;Database=berth;Username=berth;Password=unused",
        };

        var backup = await BerthProcess.RunWithEnvironmentAsync(environment, null, "backup", "--to", BackupDir);

        SchemaAssert.RefusedInOneLine(backup, "berth: the metadata store is PostgreSQL: back it up with pg_dump");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>An image as pushed: its bytes, to compare what a restored registry serves.</summary>
    private sealed record PushedImage(string Repository, string Tag, byte[] Manifest, byte[][] Blobs)
    {
        public static async Task<PushedImage> PushAsync(HttpClient client, string repository, string tag)
        {
            var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"{Guid.NewGuid():N}\"}}");
            var layer = Oci.RandomBytes(2048 + Random.Shared.Next(4096));
            await client.PushBlobAsync(repository, config);
            await client.PushBlobAsync(repository, layer);
            var manifest = Encoding.UTF8.GetBytes(
                "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciManifest + "\"," +
                "\"config\":" + Oci.Descriptor("application/vnd.oci.image.config.v1+json", config) + "," +
                "\"layers\":[" + Oci.Descriptor("application/vnd.oci.image.layer.v1.tar", layer) + "]}");
            await client.PushManifestAsync(repository, tag, manifest, MediaTypes.OciManifest);
            return new PushedImage(repository, tag, manifest, [config, layer]);
        }

        public async Task AssertPullsAsync(HttpClient client)
        {
            Assert.Equal(Manifest, await client.GetByteArrayAsync(Oci.Path($"/v2/{Repository}/manifests/{Tag}")));
            foreach (var blob in Blobs)
            {
                Assert.Equal(blob, await client.GetByteArrayAsync(Oci.Path($"/v2/{Repository}/blobs/{Oci.DigestOf(blob)}")));
            }
        }
    }
}
