using Berth.Registry.Content;

namespace Berth.Registry.Blobs;

/// <summary>What garbage collection needs of a blob store: walk what is stored, delete what nothing holds.</summary>
public interface IBlobInventory
{
    /// <summary>Every committed blob, lazily (a run pages through them; nothing is held in memory).</summary>
    IAsyncEnumerable<StoredBlob> ListBlobsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the blob unless it was (re)written at or after <paramref name="modifiedBefore"/>; the bytes
    /// it freed, or null when it was kept or is not there. Safe against a concurrent commit of the same
    /// digest: that commit's bytes survive.
    /// </summary>
    Task<long?> DeleteIfUnmodifiedAsync(Digest digest, DateTimeOffset modifiedBefore, CancellationToken cancellationToken);
}
