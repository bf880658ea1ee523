using Amazon.S3;
using Amazon.S3.Model;

namespace Berth.Storage.S3;

/// <summary>
/// The staged chunks of one upload as listed from the bucket. A write at an offset supersedes every
/// staged byte from there on (as the filesystem store truncates its staging file), so the bytes of a
/// chunk count up to where the next chunk starts; the staged length is where the gap-free run from 0 ends.
/// </summary>
internal sealed record StagedChunks(bool Exists, IReadOnlyList<StagedChunks.Chunk> Chunks)
{
    /// <summary>Staged bytes that count, gap-free from offset 0.</summary>
    public long Length => Chunks.Count == 0 ? 0 : Chunks[^1].Start + Chunks[^1].Length;

    public static async Task<StagedChunks> ListAsync(IAmazonS3 s3, string bucket, S3Layout layout, Guid upload, CancellationToken cancellationToken)
    {
        var exists = false;
        var found = new List<(string Key, long Start, long Size)>();
        await foreach (var item in S3Listing.ListAsync(s3, bucket, layout.UploadFolder(upload), cancellationToken))
        {
            if (item.Key == layout.UploadMarker(upload))
            {
                exists = true;
            }
            else if (layout.TryParseChunk(upload, item.Key, out var start))
            {
                found.Add((item.Key, start, item.Size ?? 0));
            }
        }

        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        var chunks = new List<Chunk>();
        long end = 0;
        foreach (var (key, start, size) in found)
        {
            if (start > end || (chunks.Count == 0 && start != 0))
            {
                // A gap: what follows was never acknowledged after what precedes it.
                break;
            }

            if (chunks.Count > 0 && start < end)
            {
                // The previous chunk counts only up to where this later write starts.
                chunks[^1] = chunks[^1] with { Length = start - chunks[^1].Start };
            }

            chunks.Add(new Chunk(key, start, size, size));
            end = start + size;
        }

        chunks.RemoveAll(c => c.Length == 0);
        return new StagedChunks(exists, chunks);
    }

    /// <param name="Length">The bytes of the object that count (a prefix of it).</param>
    /// <param name="ObjectSize">The whole object's size.</param>
    internal sealed record Chunk(string Key, long Start, long Length, long ObjectSize);
}
