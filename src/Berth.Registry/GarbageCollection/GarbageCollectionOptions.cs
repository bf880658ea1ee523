namespace Berth.Registry.GarbageCollection;

/// <summary>How garbage collection decides what is old enough, and how much one run may do.</summary>
public sealed record GarbageCollectionOptions
{
    /// <summary>
    /// Nothing younger than this is removed: a blob committed, a link made or a manifest pushed within
    /// it may belong to a push still in flight (blobs first, manifest last).
    /// </summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Removals (manifests, links, blobs) one run makes at most; the next run goes on.</summary>
    public int MaxDeletionsPerRun { get; init; } = 100_000;

    /// <summary>Candidates read per page: the most a run holds in memory at once.</summary>
    public int PageSize { get; init; } = 500;
}
