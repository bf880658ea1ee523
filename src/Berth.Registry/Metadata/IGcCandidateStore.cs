using Berth.Registry.Content;

namespace Berth.Registry.Metadata;

/// <summary>
/// What garbage collection may remove, found and removed by the metadata store. Every list is one
/// keyset page (strictly after the given key, ordered by it) so a run never holds every digest in
/// memory; every removal re-checks its condition atomically, because pushes go on during a run.
/// </summary>
public interface IGcCandidateStore
{
    /// <summary>
    /// Manifests pushed before <paramref name="pushedBefore"/> that no tag points at, no index of their
    /// repository lists, and that are not a referrer of a manifest still in their repository.
    /// </summary>
    Task<IReadOnlyList<RepositoryDigest>> ListUntaggedManifestsAsync(DateTimeOffset pushedBefore, RepositoryDigest? after, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the manifest only when it still matches <see cref="ListUntaggedManifestsAsync"/>; false otherwise.</summary>
    Task<bool> DeleteUntaggedManifestAsync(RepositoryDigest manifest, DateTimeOffset pushedBefore, CancellationToken cancellationToken);

    /// <summary>Blob links made before <paramref name="linkedBefore"/> that no manifest of their repository references.</summary>
    Task<IReadOnlyList<RepositoryDigest>> ListStaleLinksAsync(DateTimeOffset linkedBefore, RepositoryDigest? after, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the link only when it is still stale and unreferenced; false otherwise.</summary>
    Task<bool> DropStaleLinkAsync(RepositoryDigest link, DateTimeOffset linkedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// The subset of <paramref name="digests"/> that no manifest is, no manifest references and no link
    /// made since <paramref name="linkedBefore"/> shows. Older unreferenced links do not count: the run
    /// drops them before it sweeps bytes, and a dry run reports as if it had.
    /// </summary>
    Task<IReadOnlyList<Digest>> FindCollectibleBlobsAsync(IReadOnlyCollection<Digest> digests, DateTimeOffset linkedBefore, CancellationToken cancellationToken);
}
