namespace Berth.Bench.Scale;

/// <summary>
/// Writes committed blobs the way the filesystem blob store lays them out
/// (<c>root/blobs/sha256/ab/ab12…</c>), dated like the rows so garbage collection's grace period has passed.
/// Not fsynced: the folder is a benchmark's scratch.
/// </summary>
internal sealed class BlobFolder(string root, DateTime modifiedUtc)
{
    private readonly HashSet<string> madeDirectories = new(StringComparer.Ordinal);

    public int Written { get; private set; }

    public void Write(Blob blob)
    {
        var hex = blob.Digest["sha256:".Length..];
        var directory = Path.Combine(root, "blobs", "sha256", hex[..2]);
        if (madeDirectories.Add(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var path = Path.Combine(directory, hex);
        if (File.Exists(path))
        {
            return;
        }

        File.WriteAllBytes(path, blob.Content);
        File.SetLastWriteTimeUtc(path, modifiedUtc);
        Written++;
    }
}
