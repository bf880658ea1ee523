namespace Berth.Registry.GarbageCollection;

/// <summary>What one run removed (or, in a dry run, would remove).</summary>
/// <param name="ManifestsDeleted">Untagged manifests (only with <see cref="GarbageCollectionRequest.DeleteUntagged"/>).</param>
/// <param name="LinksRemoved">Blob links of a repository that no manifest there references.</param>
/// <param name="BlobsDeleted">Blobs (layers, configs, manifests' bytes, orphan files) removed from the blob store.</param>
/// <param name="BytesFreed">Their total size.</param>
/// <param name="Truncated">The run stopped at its deletion bound; the next run goes on.</param>
public sealed record GarbageCollectionReport(
    bool DryRun,
    bool DeleteUntagged,
    int ManifestsDeleted,
    int LinksRemoved,
    int BlobsDeleted,
    long BytesFreed,
    bool Truncated,
    DateTimeOffset StartedAt,
    TimeSpan Duration);
