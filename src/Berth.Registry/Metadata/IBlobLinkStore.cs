using Berth.Registry.Content;

namespace Berth.Registry.Metadata;

/// <summary>
/// Which repositories may serve which blobs. The bytes are stored once per digest in the
/// blob store; a link makes them visible in one repository.
/// </summary>
public interface IBlobLinkStore
{
    /// <summary>
    /// Links the blob into the repository (creating the repository); idempotent. Linking again moves the
    /// link's time on, so a re-pushed blob gets a fresh garbage-collection grace period.
    /// </summary>
    Task LinkBlobAsync(string repository, Digest digest, long size, CancellationToken cancellationToken);

    /// <summary>The blob's size when it is linked into the repository, otherwise null.</summary>
    Task<long?> GetLinkedBlobSizeAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Links a blob that <paramref name="from"/> links into <paramref name="repository"/> in one atomic
    /// step; false when <paramref name="from"/> does not link it or garbage collection has claimed it
    /// (the client then uploads the bytes instead).
    /// </summary>
    Task<bool> MountBlobAsync(string repository, Digest digest, string from, CancellationToken cancellationToken);

    /// <summary>Removes the link; false when there was none.</summary>
    Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>The subset of <paramref name="digests"/> that is not linked into the repository.</summary>
    Task<IReadOnlyList<Digest>> FindUnlinkedBlobsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);
}
