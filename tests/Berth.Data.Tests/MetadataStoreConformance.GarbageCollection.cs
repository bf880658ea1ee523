using Berth.Registry.Content;
using Berth.Registry.Metadata;

namespace Berth.Data.Tests;

/// <summary>Garbage collection's candidates, claims and lease, on every provider.</summary>
public abstract partial class MetadataStoreConformance
{
    /// <summary>A cut-off after every link these tests make (the stores run on the system clock).</summary>
    private static DateTimeOffset Later => DateTimeOffset.UtcNow.AddHours(1);

    /// <summary>A cut-off before every link these tests make.</summary>
    private static DateTimeOffset Earlier => DateTimeOffset.UtcNow.AddHours(-1);

    private IGcCandidateStore Gc => Store.GcCandidates;

    private IGcCoordinationStore GcCoordination => Store.GcCoordination;

    [Fact]
    public async Task IsBlobClaimedAsync_WhileAndAfterAClaim_ReportsTheClaim()
    {
        Assert.False(await Store.ClaimProbe.IsBlobClaimedAsync(D("swept"), Ct));
        Assert.True(await GcCoordination.TryClaimBlobAsync(D("swept"), Ct));

        Assert.True(await Store.ClaimProbe.IsBlobClaimedAsync(D("swept"), Ct));
        Assert.False(await Store.ClaimProbe.IsBlobClaimedAsync(D("other"), Ct));

        await GcCoordination.ReleaseBlobClaimAsync(D("swept"), Ct);
        Assert.False(await Store.ClaimProbe.IsBlobClaimedAsync(D("swept"), Ct));
    }

    [Fact]
    public async Task ListStaleLinksAsync_OldLinks_ListsOnlyThoseNoManifestOfTheRepositoryReferences()
    {
        var image = Manifest("r", "image");
        await Blobs.LinkBlobAsync("r", D("image/config"), 1, Ct);
        await Blobs.LinkBlobAsync("r", D("image/layer"), 1, Ct);
        await Blobs.LinkBlobAsync("r", D("orphan"), 1, Ct);
        await Blobs.LinkBlobAsync("other", D("image/layer"), 1, Ct);
        await Manifests.PutManifestAsync(image, "latest", Ct);

        var stale = await Gc.ListStaleLinksAsync(Later, null, 10, Ct);

        Assert.Equal(
            new[] { new RepositoryDigest("other", D("image/layer")), new RepositoryDigest("r", D("orphan")) }.OrderBy(k => k.Repository, StringComparer.Ordinal),
            stale);
    }

    [Fact]
    public async Task ListStaleLinksAsync_LinkWithinGracePeriod_IsNotListed()
    {
        await Blobs.LinkBlobAsync("r", D("fresh"), 1, Ct);

        Assert.Empty(await Gc.ListStaleLinksAsync(Earlier, null, 10, Ct));
    }

    [Fact]
    public async Task ListStaleLinksAsync_ByPages_ReturnsEachLinkOnceInKeyOrder()
    {
        var all = new List<RepositoryDigest>();
        foreach (var repository in new[] { "a", "b" })
        {
            for (var i = 0; i < 3; i++)
            {
                await Blobs.LinkBlobAsync(repository, D(repository + i), 1, Ct);
            }
        }

        RepositoryDigest? after = null;
        while (true)
        {
            var page = await Gc.ListStaleLinksAsync(Later, after, 2, Ct);
            all.AddRange(page);
            if (page.Count < 2)
            {
                break;
            }

            after = page[^1];
        }

        Assert.Equal(6, all.Distinct().Count());
        Assert.Equal(all.OrderBy(k => k.Repository, StringComparer.Ordinal).ThenBy(k => k.Digest.ToString(), StringComparer.Ordinal), all);
    }

    [Fact]
    public async Task DropStaleLinkAsync_ReferencedByAManifestMeanwhile_KeepsTheLink()
    {
        await Blobs.LinkBlobAsync("r", D("image/layer"), 1, Ct);
        var link = new RepositoryDigest("r", D("image/layer"));
        await Manifests.PutManifestAsync(Manifest("r", "image"), null, Ct);

        Assert.False(await Gc.DropStaleLinkAsync(link, Later, Ct));
        Assert.NotNull(await Blobs.GetLinkedBlobSizeAsync("r", D("image/layer"), Ct));
    }

    [Fact]
    public async Task DropStaleLinkAsync_StaleAndUnreferenced_RemovesTheLink()
    {
        await Blobs.LinkBlobAsync("r", D("layer"), 1, Ct);

        Assert.True(await Gc.DropStaleLinkAsync(new RepositoryDigest("r", D("layer")), Later, Ct));
        Assert.Null(await Blobs.GetLinkedBlobSizeAsync("r", D("layer"), Ct));
    }

    [Fact]
    public async Task DropStaleLinkAsync_RelinkedWithinGracePeriod_KeepsTheLink()
    {
        await Blobs.LinkBlobAsync("r", D("layer"), 1, Ct);

        Assert.False(await Gc.DropStaleLinkAsync(new RepositoryDigest("r", D("layer")), Earlier, Ct));
    }

    [Fact]
    public async Task ListUntaggedManifestsAsync_Mixed_ListsOnlyManifestsNothingHolds()
    {
        var tagged = Manifest("r", "tagged");
        var untagged = Manifest("r", "untagged");
        var child = Manifest("r", "child");
        var index = Manifest("r", "index", blobs: [], children: [child.Digest]);
        var signature = Manifest("r", "signature", subject: tagged.Digest);
        var orphanSignature = Manifest("r", "orphan-signature", subject: D("gone"));
        foreach (var (manifest, tag) in new[] { (tagged, "v1"), (untagged, null), (child, null), (index, "multi"), (signature, null), (orphanSignature, null) })
        {
            await Manifests.PutManifestAsync(manifest, tag, Ct);
        }

        var listed = await Gc.ListUntaggedManifestsAsync(Later, null, 10, Ct);

        Assert.Equal(
            new[] { untagged.Digest, orphanSignature.Digest }.OrderBy(d => d.ToString(), StringComparer.Ordinal),
            listed.Select(m => m.Digest));
    }

    [Fact]
    public async Task ListUntaggedManifestsAsync_PushedWithinGracePeriod_IsNotListed()
    {
        await Manifests.PutManifestAsync(Manifest("r", "untagged"), null, Ct);

        Assert.Empty(await Gc.ListUntaggedManifestsAsync(T0, null, 10, Ct));
    }

    [Fact]
    public async Task DeleteUntaggedManifestAsync_Untagged_DeletesManifestAndItsReferences()
    {
        var manifest = Manifest("r", "untagged");
        await Manifests.PutManifestAsync(manifest, null, Ct);

        Assert.True(await Gc.DeleteUntaggedManifestAsync(new RepositoryDigest("r", manifest.Digest), Later, Ct));

        Assert.Null(await Manifests.GetManifestAsync("r", manifest.Digest, Ct));
        Assert.Equal([D("untagged/config")], await Gc.FindCollectibleBlobsAsync([D("untagged/config")], Later, Ct));
    }

    [Fact]
    public async Task DeleteUntaggedManifestAsync_TaggedSinceListed_KeepsIt()
    {
        var manifest = Manifest("r", "m");
        await Manifests.PutManifestAsync(manifest, null, Ct);
        await Manifests.PutManifestAsync(manifest, "now-tagged", Ct);

        Assert.False(await Gc.DeleteUntaggedManifestAsync(new RepositoryDigest("r", manifest.Digest), Later, Ct));
        Assert.NotNull(await Manifests.ResolveTagAsync("r", "now-tagged", Ct));
    }

    [Fact]
    public async Task FindCollectibleBlobsAsync_Mixed_ReturnsOnlyDigestsNothingHolds()
    {
        var image = Manifest("r", "image");
        await Blobs.LinkBlobAsync("r", D("stale-link"), 1, Ct);
        await Manifests.PutManifestAsync(image, "v1", Ct);
        await Blobs.LinkBlobAsync("r", D("claimed"), 1, Ct);
        await Blobs.UnlinkBlobAsync("r", D("claimed"), Ct);
        Assert.True(await GcCoordination.TryClaimBlobAsync(D("claimed"), Ct));

        var asked = new[] { D("stale-link"), image.Digest, D("image/layer"), D("claimed"), D("never-known") };

        Assert.Equal([D("stale-link"), D("never-known")], await Gc.FindCollectibleBlobsAsync(asked, Later, Ct));
        Assert.Equal([D("never-known")], await Gc.FindCollectibleBlobsAsync(asked, Earlier, Ct));
    }

    [Fact]
    public async Task TryClaimBlobAsync_LinkedAnywhere_ReturnsFalse()
    {
        await Blobs.LinkBlobAsync("r", D("layer"), 1, Ct);

        Assert.False(await GcCoordination.TryClaimBlobAsync(D("layer"), Ct));
    }

    [Fact]
    public async Task TryClaimBlobAsync_ReferencedOrAManifest_ReturnsFalse()
    {
        var image = Manifest("r", "image");
        await Manifests.PutManifestAsync(image, null, Ct);

        Assert.False(await GcCoordination.TryClaimBlobAsync(D("image/layer"), Ct));
        Assert.False(await GcCoordination.TryClaimBlobAsync(image.Digest, Ct));
    }

    [Fact]
    public async Task TryClaimBlobAsync_Unreferenced_ClaimsOnceUntilReleased()
    {
        Assert.True(await GcCoordination.TryClaimBlobAsync(D("orphan"), Ct));
        Assert.False(await GcCoordination.TryClaimBlobAsync(D("orphan"), Ct));

        await GcCoordination.ReleaseBlobClaimAsync(D("orphan"), Ct);

        Assert.True(await GcCoordination.TryClaimBlobAsync(D("orphan"), Ct));
    }

    [Fact]
    public async Task ClearBlobClaimsAsync_AfterACrashedRun_RemovesEveryClaim()
    {
        await GcCoordination.TryClaimBlobAsync(D("a"), Ct);
        await GcCoordination.TryClaimBlobAsync(D("b"), Ct);

        Assert.Equal(2, await GcCoordination.ClearBlobClaimsAsync(Ct));
        Assert.True(await GcCoordination.TryClaimBlobAsync(D("a"), Ct));
    }

    [Fact]
    public async Task MountBlobAsync_SourceLinksIt_LinksIntoTheTarget()
    {
        await Blobs.LinkBlobAsync("from", D("layer"), 42, Ct);

        Assert.True(await Blobs.MountBlobAsync("to", D("layer"), "from", Ct));

        Assert.Equal(42, await Blobs.GetLinkedBlobSizeAsync("to", D("layer"), Ct));
    }

    [Fact]
    public async Task MountBlobAsync_SourceDoesNotLinkIt_ReturnsFalseAndCreatesNoRepository()
    {
        Assert.False(await Blobs.MountBlobAsync("to", D("layer"), "from", Ct));

        Assert.False(await Repositories.RepositoryExistsAsync("to", Ct));
    }

    [Fact]
    public async Task MountBlobAsync_ClaimedByGarbageCollection_ReturnsFalse()
    {
        Assert.True(await GcCoordination.TryClaimBlobAsync(D("layer"), Ct));
        await Blobs.LinkBlobAsync("from", D("layer"), 42, Ct);

        Assert.False(await Blobs.MountBlobAsync("to", D("layer"), "from", Ct));
        Assert.Null(await Blobs.GetLinkedBlobSizeAsync("to", D("layer"), Ct));
    }

    [Fact]
    public async Task MountBlobAsync_RacingAClaimAndALinkDrop_NeverEndsLinkedAndClaimed()
    {
        for (var round = 0; round < 20; round++)
        {
            var digest = D("race-" + round);
            await Blobs.LinkBlobAsync("from", digest, 1, Ct);
            var mount = Task.Run(() => Blobs.MountBlobAsync("to", digest, "from", Ct));
            var sweep = Task.Run(async () =>
                await Gc.DropStaleLinkAsync(new RepositoryDigest("from", digest), Later, Ct)
                && await GcCoordination.TryClaimBlobAsync(digest, Ct));

            var (mounted, claimed) = (await mount, await sweep);

            // Either the mount won (the target links it, no claim) or the sweep did (no link anywhere).
            Assert.False(mounted && claimed, $"round {round}: mounted and claimed");
            Assert.Equal(mounted, await Blobs.GetLinkedBlobSizeAsync("to", digest, Ct) is not null);
        }
    }

    [Fact]
    public async Task TryAcquireGcLeaseAsync_HeldByAnother_ReturnsFalseUntilReleased()
    {
        var until = DateTimeOffset.UtcNow.AddMinutes(10);
        Assert.True(await GcCoordination.TryAcquireGcLeaseAsync("one", until, Ct));
        Assert.False(await GcCoordination.TryAcquireGcLeaseAsync("two", until, Ct));
        Assert.True(await GcCoordination.TryAcquireGcLeaseAsync("one", until.AddMinutes(1), Ct));

        await GcCoordination.ReleaseGcLeaseAsync("one", Ct);

        Assert.True(await GcCoordination.TryAcquireGcLeaseAsync("two", until, Ct));
    }

    [Fact]
    public async Task TryAcquireGcLeaseAsync_PreviousHolderExpired_TakesIt()
    {
        Assert.True(await GcCoordination.TryAcquireGcLeaseAsync("crashed", DateTimeOffset.UtcNow.AddMinutes(-1), Ct));

        Assert.True(await GcCoordination.TryAcquireGcLeaseAsync("next", DateTimeOffset.UtcNow.AddMinutes(10), Ct));
    }

    [Fact]
    public async Task LinkBlobAsync_AgainLater_MovesTheLinkOutOfTheGracePeriodCheck()
    {
        await Blobs.LinkBlobAsync("r", D("layer"), 1, Ct);
        var between = DateTimeOffset.UtcNow.AddMilliseconds(1);
        await Task.Delay(20);
        await Blobs.LinkBlobAsync("r", D("layer"), 1, Ct);

        Assert.Empty(await Gc.ListStaleLinksAsync(between, null, 10, Ct));
    }
}
