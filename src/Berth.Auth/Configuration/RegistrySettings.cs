namespace Berth.Configuration;

public sealed record RegistrySettings
{
    /// <summary>Largest manifest accepted, in bytes (the spec asks for at least 4 MB).</summary>
    public int MaxManifestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Accept indexes whose child manifests are not all pushed (off by default).</summary>
    public bool AllowSparseIndexes { get; init; }

    /// <summary>Upload sessions idle longer than this are removed with their staged bytes.</summary>
    public TimeSpan UploadExpiry { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a chunk's claim on its upload holds unrenewed: after it, another replica may resume an
    /// upload whose writer died mid-chunk (the writer renews every quarter of this while it streams).
    /// </summary>
    public TimeSpan UploadClaimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often idle upload sessions are looked for.</summary>
    public TimeSpan UploadSweepInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the background garbage collection runs; zero (the default) turns it off and <c>berth gc</c>
    /// still works. Off by default, as in distribution and Harbor: deleting bytes is the operator's call.
    /// </summary>
    public TimeSpan GcInterval { get; init; } = TimeSpan.Zero;

    /// <summary>Blobs, links and manifests younger than this are never collected (pushes in flight).</summary>
    public TimeSpan GcGracePeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Whether the background run also removes untagged, unreferenced manifests.</summary>
    public bool GcDeleteUntagged { get; init; }

    /// <summary>Removals one run makes at most; the next run goes on.</summary>
    public int GcMaxDeletions { get; init; } = 100_000;
}
