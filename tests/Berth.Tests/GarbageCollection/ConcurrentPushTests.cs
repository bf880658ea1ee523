using System.Net;
using System.Text;
using Berth.Data;
using Berth.Registry.Content;
using Berth.Registry.GarbageCollection;
using Berth.Registry.Metadata;
using Berth.Tests.Http.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.GarbageCollection;

/// <summary>
/// Pushes that meet a garbage collection run: a blob unlinked now may be linked again a moment later.
/// The run must never leave a link or a manifest whose bytes it deleted; the push either succeeds or
/// fails with "blob unknown", so the client uploads again.
/// </summary>
public sealed class ConcurrentPushTests : IAsyncLifetime
{
    private static readonly TimeSpan PastGrace = TimeSpan.FromHours(2);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private SweepingManifestStore sweeping = null!;
    private RegistryServer server = null!;

    private HttpClient Client => server.Client;

    private GarbageCollector Collector => server.Services.GetRequiredService<GarbageCollector>();

    public async Task InitializeAsync() =>
        server = await RegistryServer.StartAsync(services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddSingleton(provider => sweeping = new SweepingManifestStore(provider.GetRequiredService<MetadataStores>().Manifests));
            services.AddSingleton<IManifestStore>(provider => provider.GetRequiredService<SweepingManifestStore>());
        });

    public Task DisposeAsync() => server.DisposeAsync();

    [Fact]
    public async Task PutManifest_RunDropsItsLinksBetweenCheckAndCommit_AnswersBlobUnknownAndTheRetrySucceeds()
    {
        var repository = Oci.Repository();
        var manifest = await Client.PushImageAsync(repository);
        time.Advance(PastGrace);
        GarbageCollectionReport? during = null;
        sweeping.BeforeNextPut = async () => during = await Collector.RunAsync(new GarbageCollectionRequest(false, false), CancellationToken.None);

        using (var first = await Client.PutManifestAsync(repository, "v1", manifest, MediaTypes.OciManifest))
        {
            await first.AssertErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        }

        Assert.Equal(2, during?.BlobsDeleted);
        using (var gone = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/v1")))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        // What a client does next: upload the blobs it was told are unknown, then the manifest again.
        var retry = await Client.PushImageAsync(repository);
        var digest = await Client.PushManifestAsync(repository, "v1", retry, MediaTypes.OciManifest);
        using var pull = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{digest}"));
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
    }

    [Fact]
    public async Task Mount_OfADigestTheRunHasClaimed_OpensAnUploadInsteadAndTheUploadSucceeds()
    {
        var (from, to) = (Oci.Repository(), Oci.Repository());
        var layer = Oci.RandomBytes(400);
        var digest = await Client.PushBlobAsync(from, layer);
        var coordination = server.Services.GetRequiredService<IGcCoordinationStore>();
        await server.Services.GetRequiredService<IBlobLinkStore>().UnlinkBlobAsync(from, digest, CancellationToken.None);
        Assert.True(await coordination.TryClaimBlobAsync(digest, CancellationToken.None));
        await Client.PushBlobAsync(from, layer); // re-linked in the source while the run holds its claim

        using var mount = await Client.PostAsync(Oci.Path($"/v2/{to}/blobs/uploads/?mount={digest}&from={from}"), null);

        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        await coordination.ReleaseBlobClaimAsync(digest, CancellationToken.None);
        await Client.PushBlobAsync(to, layer);
        using var get = await Client.GetAsync(Oci.Path($"/v2/{to}/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task Push_ReusingOldUnlinkedBlobsWhileRunsSweepThem_EveryPushedImageStaysWhole()
    {
        var staging = Oci.Repository("staging");
        var layers = Enumerable.Range(0, 24).Select(i => Encoding.UTF8.GetBytes($"layer {i} {Guid.NewGuid():N}")).ToList();
        foreach (var layer in layers)
        {
            var digest = await Client.PushBlobAsync(staging, layer);
            using var unlink = await Client.DeleteAsync(Oci.Path($"/v2/{staging}/blobs/{digest}"));
        }

        // Every layer is now old and unlinked: exactly what a run deletes, unless a push brings it back first.
        time.Advance(PastGrace);
        using var stop = new CancellationTokenSource();
        var sweeper = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Collector.RunAsync(new GarbageCollectionRequest(false, false), CancellationToken.None);
            }
        });
        var pushed = await Task.WhenAll(layers.Select((layer, i) => Task.Run(async () =>
        {
            var repository = Oci.Repository("app");
            var (manifest, _) = await GcImages.PushAsync(Client, repository, "v" + i, layer);
            return (repository, manifest, Layer: Oci.DigestOf(layer));
        })));
        await stop.CancelAsync();
        await sweeper;

        await Collector.RunAsync(new GarbageCollectionRequest(false, false), CancellationToken.None);
        foreach (var (repository, manifest, layer) in pushed)
        {
            using var pull = await Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/{manifest}"));
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
            using var blob = await Client.GetAsync(Oci.Path($"/v2/{repository}/blobs/{layer}"));
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        }
    }
}
