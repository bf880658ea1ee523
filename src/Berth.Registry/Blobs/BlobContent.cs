namespace Berth.Registry.Blobs;

/// <summary>
/// A committed blob ready to be served. <see cref="LocalPath"/> is set when the bytes are a plain
/// file on this machine, so the host can hand them to the kernel (sendfile) instead of copying.
/// </summary>
public sealed record BlobContent(long Size, string? LocalPath, Func<CancellationToken, Task<Stream>> OpenAsync)
{
    /// <summary>
    /// A URL the client may GET the bytes from directly, valid for the given time (an S3 presigned
    /// URL); null when the store has none. Used only when redirects are configured.
    /// </summary>
    public Func<TimeSpan, CancellationToken, Task<Uri>>? PresignAsync { get; init; }
}
