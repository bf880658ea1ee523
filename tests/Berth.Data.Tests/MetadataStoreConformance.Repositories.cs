using Berth.Registry.Content;

namespace Berth.Data.Tests;

public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task ListRepositoriesAsync_EmptyStore_ReturnsNothing()
    {
        Assert.Empty(await Repositories.ListRepositoriesAsync(null, 100, Ct));
    }

    [Fact]
    public async Task ListRepositoriesAsync_SeveralRepositories_ReturnsOrdinalOrder()
    {
        foreach (var name in new[] { "b", "a/z", "a.b", "a-z", "a" })
        {
            await Blobs.LinkBlobAsync(name, D("blob"), 1, Ct);
        }

        Assert.Equal(["a", "a-z", "a.b", "a/z", "b"], await Repositories.ListRepositoriesAsync(null, 100, Ct));
    }

    [Fact]
    public async Task ListRepositoriesAsync_AfterAndLimit_PagesStrictlyAfter()
    {
        foreach (var name in new[] { "r1", "r2", "r3", "r4", "r5" })
        {
            await Manifests.PutManifestAsync(Manifest(name, "m"), null, Ct);
        }

        Assert.Equal(["r1", "r2"], await Repositories.ListRepositoriesAsync(null, 2, Ct));
        Assert.Equal(["r3", "r4"], await Repositories.ListRepositoriesAsync("r2", 2, Ct));
        Assert.Equal(["r5"], await Repositories.ListRepositoriesAsync("r4", 2, Ct));
        Assert.Empty(await Repositories.ListRepositoriesAsync("r5", 2, Ct));
        Assert.Equal(["r3", "r4", "r5"], await Repositories.ListRepositoriesAsync("r25", 10, Ct));
    }

    [Fact]
    public async Task ListRepositoriesAsync_ZeroLimit_ReturnsNothing()
    {
        await Blobs.LinkBlobAsync("r", D("blob"), 1, Ct);

        Assert.Empty(await Repositories.ListRepositoriesAsync(null, 0, Ct));
    }

    [Fact]
    public async Task RepositoryExistsAsync_UnknownRepository_ReturnsFalse()
    {
        Assert.False(await Repositories.RepositoryExistsAsync("nobody/here", Ct));
    }

    [Fact]
    public async Task RepositoryExistsAsync_AfterBlobLink_ReturnsTrue()
    {
        await Blobs.LinkBlobAsync("library/alpine", D("layer"), 10, Ct);

        Assert.True(await Repositories.RepositoryExistsAsync("library/alpine", Ct));
        Assert.False(await Repositories.RepositoryExistsAsync("library", Ct));
    }

    [Fact]
    public async Task RepositoryExistsAsync_AfterManifestPush_ReturnsTrue()
    {
        await Manifests.PutManifestAsync(Manifest("library/alpine", "m"), "latest", Ct);

        Assert.True(await Repositories.RepositoryExistsAsync("library/alpine", Ct));
    }

    [Fact]
    public async Task LinkBlobAsync_Twice_IsIdempotent()
    {
        await Blobs.LinkBlobAsync("r", D("layer"), 42, Ct);
        await Blobs.LinkBlobAsync("r", D("layer"), 42, Ct);

        Assert.Equal(42, await Blobs.GetLinkedBlobSizeAsync("r", D("layer"), Ct));
        Assert.Equal(["r"], await Repositories.ListRepositoriesAsync(null, 10, Ct));
    }

    [Fact]
    public async Task GetLinkedBlobSizeAsync_LinkedInOtherRepository_ReturnsNull()
    {
        await Blobs.LinkBlobAsync("one", D("layer"), 42, Ct);

        Assert.Null(await Blobs.GetLinkedBlobSizeAsync("two", D("layer"), Ct));
        Assert.Null(await Blobs.GetLinkedBlobSizeAsync("one", D("other"), Ct));
    }

    [Fact]
    public async Task GetLinkedBlobSizeAsync_LargeBlob_KeepsSixtyFourBitSize()
    {
        const long size = 5L * 1024 * 1024 * 1024;
        await Blobs.LinkBlobAsync("r", D("huge"), size, Ct);

        Assert.Equal(size, await Blobs.GetLinkedBlobSizeAsync("r", D("huge"), Ct));
    }

    [Fact]
    public async Task UnlinkBlobAsync_Linked_RemovesLinkAndReturnsTrue()
    {
        await Blobs.LinkBlobAsync("r", D("layer"), 42, Ct);

        Assert.True(await Blobs.UnlinkBlobAsync("r", D("layer"), Ct));
        Assert.Null(await Blobs.GetLinkedBlobSizeAsync("r", D("layer"), Ct));
        Assert.False(await Blobs.UnlinkBlobAsync("r", D("layer"), Ct));
    }

    [Fact]
    public async Task UnlinkBlobAsync_NeverLinked_ReturnsFalse()
    {
        Assert.False(await Blobs.UnlinkBlobAsync("r", D("layer"), Ct));
    }

    [Fact]
    public async Task FindUnlinkedBlobsAsync_Mixed_ReturnsOnlyUnlinkedInGivenOrder()
    {
        await Blobs.LinkBlobAsync("r", D("a"), 1, Ct);
        await Blobs.LinkBlobAsync("r", D("c"), 1, Ct);
        await Blobs.LinkBlobAsync("other", D("d"), 1, Ct);

        var unlinked = await Blobs.FindUnlinkedBlobsAsync("r", [D("d"), D("a"), D("b"), D("c")], Ct);

        Assert.Equal([D("d"), D("b")], unlinked);
    }

    [Fact]
    public async Task FindUnlinkedBlobsAsync_DuplicateDigests_ReturnsEachOnce()
    {
        var unlinked = await Blobs.FindUnlinkedBlobsAsync("r", [D("x"), D("x")], Ct);

        Assert.Equal([D("x")], unlinked);
    }

    [Fact]
    public async Task FindUnlinkedBlobsAsync_NoDigests_ReturnsNothing()
    {
        Assert.Empty(await Blobs.FindUnlinkedBlobsAsync("r", [], Ct));
    }

    [Fact]
    public async Task FindUnlinkedBlobsAsync_ManyDigests_AnswersForEveryOne()
    {
        var all = Enumerable.Range(0, 1000).Select(i => D($"layer-{i}")).ToList();
        foreach (var digest in all.Where((_, i) => i % 3 == 0))
        {
            await Blobs.LinkBlobAsync("r", digest, 1, Ct);
        }

        var unlinked = await Blobs.FindUnlinkedBlobsAsync("r", all, Ct);

        Assert.Equal(all.Where((_, i) => i % 3 != 0), unlinked);
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_IsNoOpAndKeepsData()
    {
        await Blobs.LinkBlobAsync("r", D("layer"), 7, Ct);

        await Store.Lifecycle.MigrateAsync(Ct);
        await Store.Lifecycle.MigrateAsync(Ct);

        Assert.Equal(7, await Blobs.GetLinkedBlobSizeAsync("r", D("layer"), Ct));
    }

    private static Digest[] Digests(params string[] seeds) => seeds.Select(D).ToArray();
}
