using System.Text;
using Berth.Registry.Blobs;
using Berth.Registry.Content;

namespace Berth.Registry.Tests.Blobs;

/// <summary>What garbage collection asks of the filesystem store: listing, the race-safe delete, crash recovery.</summary>
public sealed class FileSystemBlobStoreInventoryTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly string root = Path.Combine(Path.GetTempPath(), "berth-blobs-" + Guid.NewGuid().ToString("N"));
    private readonly FileSystemBlobStore store;

    public FileSystemBlobStoreInventoryTests() => store = new FileSystemBlobStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ListBlobsAsync_CommittedBlobsAndJunk_ListsOnlyTheBlobs()
    {
        var a = await CommitAsync("a");
        var b = await CommitAsync("b");
        await File.WriteAllTextAsync(Path.Combine(root, "blobs", "sha256", "not-a-digest"), "junk", Ct);

        var listed = new List<StoredBlob>();
        await foreach (var blob in store.ListBlobsAsync(Ct))
        {
            listed.Add(blob);
        }

        Assert.Equal(new[] { a, b }.OrderBy(d => d.Hex, StringComparer.Ordinal), listed.Select(x => x.Digest).OrderBy(d => d.Hex, StringComparer.Ordinal));
        Assert.All(listed, x => Assert.Equal(1, x.Size));
    }

    [Fact]
    public async Task DeleteIfUnmodifiedAsync_OlderThanCutoff_DeletesAndReturnsTheSize()
    {
        var digest = await CommitAsync("old");

        Assert.Equal(3, await store.DeleteIfUnmodifiedAsync(digest, DateTimeOffset.UtcNow.AddMinutes(1), Ct));

        Assert.Null(await store.StatAsync(digest, Ct));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "trash")));
    }

    [Fact]
    public async Task DeleteIfUnmodifiedAsync_CommittedAgainAfterTheCutoff_KeepsTheBytes()
    {
        var digest = await CommitAsync("again");
        File.SetLastWriteTimeUtc(BlobPath(digest), DateTime.UtcNow.AddHours(-2));
        var cutoff = DateTimeOffset.UtcNow.AddHours(-1);
        await CommitAsync("again"); // a push re-uploads the same bytes: they become fresh

        Assert.Null(await store.DeleteIfUnmodifiedAsync(digest, cutoff, Ct));

        Assert.Equal(5, await store.StatAsync(digest, Ct));
    }

    [Fact]
    public async Task Constructor_TrashLeftByACrashedRun_PutsTheBlobBack()
    {
        var digest = await CommitAsync("crash");
        File.Move(BlobPath(digest), Path.Combine(root, "trash", $"{digest.Algorithm}-{digest.Hex}-{Guid.NewGuid():N}"));

        _ = new FileSystemBlobStore(root);

        Assert.Equal(5, await store.StatAsync(digest, Ct));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "trash")));
    }

    private async Task<Digest> CommitAsync(string text)
    {
        var content = Encoding.UTF8.GetBytes(text);
        var digest = Digest.Compute(content);
        Assert.True((await store.IngestAsync(new MemoryStream(content), digest, Ct)).Committed);
        return digest;
    }

    private string BlobPath(Digest digest) => Path.Combine(root, "blobs", digest.Algorithm, digest.Hex[..2], digest.Hex);
}
