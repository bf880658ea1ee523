using System.Net;
using Berth.Registry.Content;
using Berth.Registry.GarbageCollection;
using Berth.Registry.Metadata;
using Berth.Tests.Http.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.GarbageCollection;

/// <summary>
/// Garbage collection on the real host: images pushed and deleted over HTTP, SQLite, files on disk,
/// and a fake clock for the grace period (1 h by default).
/// </summary>
public sealed class GarbageCollectionTests : IAsyncLifetime
{
    private static readonly TimeSpan PastGrace = TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private RegistryServer server = null!;

    private HttpClient Client => server.Client;

    public async Task InitializeAsync() =>
        server = await RegistryServer.StartAsync(services => services.AddSingleton<TimeProvider>(time));

    public Task DisposeAsync() => server.DisposeAsync();

    [Fact]
    public async Task Run_OneOfTwoImagesSharingALayerDeleted_RemovesOnlyWhatTheDeletedImageHadAlone()
    {
        var repository = Oci.Repository();
        var (shared, onlyA, onlyB) = (Oci.RandomBytes(3000), Oci.RandomBytes(2000), Oci.RandomBytes(1000));
        var (manifestA, configA) = await GcImages.PushAsync(Client, repository, "a", shared, onlyA);
        var (manifestB, configB) = await GcImages.PushAsync(Client, repository, "b", shared, onlyB);
        await DeleteAsync($"/v2/{repository}/manifests/{manifestA}");
        var goneBytes = new[] { Oci.DigestOf(onlyA), configA, manifestA }.Sum(d => new FileInfo(Blob(d)).Length);
        time.Advance(PastGrace);

        var report = await RunAsync(dryRun: false);

        Assert.Equal(3, report.BlobsDeleted);
        Assert.Equal(goneBytes, report.BytesFreed);
        Assert.Equal(2, report.LinksRemoved);
        foreach (var gone in new[] { Oci.DigestOf(onlyA), configA, manifestA })
        {
            Assert.False(File.Exists(Blob(gone)), $"{gone} is still on disk");
        }

        Assert.True(File.Exists(Blob(manifestB)));
        foreach (var kept in new[] { Oci.DigestOf(shared), Oci.DigestOf(onlyB), configB })
        {
            Assert.True(File.Exists(Blob(kept)), $"{kept} was deleted");
            using var get = await Client.GetAsync(Oci.Path($"/v2/{repository}/blobs/{kept}"));
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        }

        foreach (var method in new[] { HttpMethod.Head, HttpMethod.Get })
        {
            using var response = await Client.SendAsync(method, $"/v2/{repository}/blobs/{Oci.DigestOf(onlyA)}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var pull = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/b"));
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
    }

    [Fact]
    public async Task Run_WithinGracePeriod_DeletesNothing()
    {
        var repository = Oci.Repository();
        var layer = Oci.RandomBytes(100);
        var (manifest, config) = await GcImages.PushAsync(Client, repository, "v1", layer);
        await DeleteAsync($"/v2/{repository}/manifests/{manifest}");
        time.Advance(TimeSpan.FromMinutes(59));

        var report = await RunAsync(dryRun: false);

        Assert.Equal((0, 0, 0L), (report.BlobsDeleted, report.LinksRemoved, report.BytesFreed));
        Assert.True(File.Exists(Blob(Oci.DigestOf(layer))));
        Assert.True(File.Exists(Blob(config)));
        using var get = await Client.GetAsync(Oci.Path($"/v2/{repository}/blobs/{Oci.DigestOf(layer)}"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task Run_BlobsPushedButManifestNotYet_KeepsThemUntilTheGracePeriodEnds()
    {
        var repository = Oci.Repository();
        var layer = await Client.PushBlobAsync(repository, Oci.RandomBytes(100));
        time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(0, (await RunAsync(dryRun: false)).BlobsDeleted);

        time.Advance(PastGrace);
        Assert.Equal(1, (await RunAsync(dryRun: false)).BlobsDeleted);
        Assert.False(File.Exists(Blob(layer)));
    }

    [Fact]
    public async Task DryRun_ImageDeleted_ReportsWhatTheRunThenRemovesAndDeletesNothing()
    {
        var repository = Oci.Repository();
        var (manifest, config) = await GcImages.PushAsync(Client, repository, "v1", Oci.RandomBytes(700));
        await DeleteAsync($"/v2/{repository}/manifests/{manifest}");
        time.Advance(PastGrace);

        var dry = await RunAsync(dryRun: true);

        Assert.True(dry.DryRun);
        Assert.True(File.Exists(Blob(config)));
        Assert.True(File.Exists(Blob(manifest)));
        var run = await RunAsync(dryRun: false);
        Assert.Equal((dry.LinksRemoved, dry.BlobsDeleted, dry.BytesFreed), (run.LinksRemoved, run.BlobsDeleted, run.BytesFreed));
        Assert.Equal(3, run.BlobsDeleted);
        Assert.False(File.Exists(Blob(config)));
    }

    [Fact]
    public async Task Run_OrphanFilesTheDatabaseNeverKnew_SweepsOnlyThoseOlderThanTheGracePeriod()
    {
        var old = WriteOrphan("crashed between rename and insert", time.GetUtcNow() - PastGrace);
        var fresh = WriteOrphan("an upload committing right now", time.GetUtcNow());

        var report = await RunAsync(dryRun: false);

        Assert.Equal(1, report.BlobsDeleted);
        Assert.False(File.Exists(Blob(old)));
        Assert.True(File.Exists(Blob(fresh)));
    }

    [Fact]
    public async Task Run_UntaggedManifest_RemovedOnlyWithDeleteUntagged()
    {
        var repository = Oci.Repository();
        var layer = Oci.RandomBytes(300);
        var (manifest, _) = await GcImages.PushAsync(Client, repository, "v1", layer);
        await DeleteAsync($"/v2/{repository}/manifests/v1");
        time.Advance(PastGrace);

        var without = await RunAsync(dryRun: false);

        Assert.Equal((0, 0), (without.ManifestsDeleted, without.BlobsDeleted));
        using (var kept = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{manifest}")))
        {
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }

        var with = await RunAsync(dryRun: false, deleteUntagged: true);

        Assert.Equal((1, 3), (with.ManifestsDeleted, with.BlobsDeleted));
        Assert.False(File.Exists(Blob(Oci.DigestOf(layer))));
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the reference cache's lifetime (real time)
        using var gone = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{manifest}"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Run_ReferrerOfATaggedImage_KeptWithDeleteUntagged()
    {
        var repository = Oci.Repository();
        var image = await Client.PushImageAsync(repository);
        var subject = await Client.PushManifestAsync(repository, "v1", image, MediaTypes.OciManifest);
        var signature = await Client.PushImageAsync(repository, subject: Oci.Descriptor(MediaTypes.OciManifest, image));
        var signatureDigest = await Client.PushManifestAsync(repository, Oci.DigestOf(signature).ToString(), signature, MediaTypes.OciManifest);
        time.Advance(PastGrace);

        var report = await RunAsync(dryRun: false, deleteUntagged: true);

        Assert.Equal((0, 0), (report.ManifestsDeleted, report.BlobsDeleted));
        Assert.True(File.Exists(Blob(signatureDigest)));
    }

    [Fact]
    public async Task Run_ConcurrentRunAlreadyHoldsTheStore_ReturnsNull()
    {
        var coordination = server.Services.GetRequiredService<IGcCoordinationStore>();
        Assert.True(await coordination.TryAcquireGcLeaseAsync("another replica", time.GetUtcNow().AddMinutes(5), CancellationToken.None));

        Assert.Null(await Collector.RunAsync(new GarbageCollectionRequest(false, false), CancellationToken.None));

        time.Advance(TimeSpan.FromMinutes(6));
        Assert.NotNull(await Collector.RunAsync(new GarbageCollectionRequest(false, false), CancellationToken.None));
    }

    private GarbageCollector Collector => server.Services.GetRequiredService<GarbageCollector>();

    private async Task<GarbageCollectionReport> RunAsync(bool dryRun, bool deleteUntagged = false) =>
        await Collector.RunAsync(new GarbageCollectionRequest(dryRun, deleteUntagged), CancellationToken.None)
        ?? throw new InvalidOperationException("the store was busy");

    private async Task DeleteAsync(string path)
    {
        using var response = await Client.DeleteAsync(Oci.Path(path));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private Digest WriteOrphan(string content, DateTimeOffset modified)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        var digest = Oci.DigestOf(bytes);
        var path = Blob(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        return digest;
    }

    private string Blob(Digest digest) => GcImages.BlobFile(server.DataDir, digest);
}
