namespace Berth.Registry;

/// <summary>Limits and timings of the registry core.</summary>
public sealed record RegistryOptions
{
    /// <summary>Largest manifest accepted; the spec asks for at least 4 MB.</summary>
    public int MaxManifestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Upload sessions idle longer than this are removed with their staged bytes.</summary>
    public TimeSpan UploadExpiry { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a chunk's claim on its upload holds without being renewed (its writer renews it every
    /// quarter of this while the bytes stream in): after it, a chunk from the acknowledged offset may take
    /// the upload over from a writer that died. See <c>Uploads/UploadClaim</c>.
    /// </summary>
    public TimeSpan UploadClaimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a resolved tag or digest is served from memory. Writes through this process are seen at
    /// once; writes through another replica after at most this long. Zero turns the cache off.
    /// </summary>
    public TimeSpan ReferenceCacheLifetime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Accept an index whose child manifests are not all in the repository (a "sparse" index, e.g. a
    /// multi-platform image mirrored for one platform). Off by default, as the distribution spec allows:
    /// then every child must be pushed first. Blobs an index names must be present either way.
    /// </summary>
    public bool AllowSparseIndexes { get; init; }
}
