namespace Berth.Storage.S3;

/// <summary>Where in the bucket Berth keeps its bytes, and how it writes them.</summary>
public sealed record S3BlobStoreOptions
{
    /// <summary>The smallest part S3 accepts in a multipart upload (except the last part).</summary>
    public const int MinimumPartSize = 5 * 1024 * 1024;

    public required string Bucket { get; init; }

    /// <summary>A key prefix (e.g. <c>registry-a/</c>) so one bucket can hold several registries; empty for none.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>
    /// Size of each multipart part, and of the in-memory buffer a write fills before sending it (five per
    /// write in flight: four sending, one filling). At least <see cref="MinimumPartSize"/>.
    /// </summary>
    public int PartSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>How long a commit waits for garbage collection to finish deleting the same digest.</summary>
    public TimeSpan ClaimWait { get; init; } = TimeSpan.FromSeconds(60);
}
