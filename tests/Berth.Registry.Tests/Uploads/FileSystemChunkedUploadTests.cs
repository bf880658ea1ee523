using Berth.Registry.Blobs;

namespace Berth.Registry.Tests.Uploads;

/// <summary>The chunked upload suite on the filesystem store: every replica opens the same data folder.</summary>
public sealed class FileSystemChunkedUploadTests : ChunkedUploadConformance
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "berth-chunked-fs-" + Guid.NewGuid().ToString("N"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    protected override (IUploadStaging Staging, IBlobStore Blobs) OpenStore()
    {
        var store = new FileSystemBlobStore(root, Time);
        return (store, store);
    }
}
