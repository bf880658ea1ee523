using Berth.Registry.Blobs;
using Berth.Registry.Content;

namespace Berth.Registry.Tests.Blobs;

/// <summary>The blob store conformance suite on the filesystem store, in a temporary folder.</summary>
public sealed class FileSystemBlobStoreConformanceTests : BlobStoreConformance
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "berth-blobs-" + Guid.NewGuid().ToString("N"));

    public override Task DisposeAsync()
    {
        Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    protected override StoreUnderTest Open()
    {
        var store = new FileSystemBlobStore(root, Time);
        return new StoreUnderTest(store, store, store);
    }

    /// <remarks>The filesystem store needs no claim: its delete renames atomically and re-checks what it moved.</remarks>
    protected override Task<IAsyncDisposable> ClaimAsync(Digest digest) => Task.FromResult<IAsyncDisposable>(new NoClaim());

    private sealed class NoClaim : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
