namespace Berth.Registry.Blobs;

/// <summary>
/// A committed blob ready to be served. <see cref="LocalPath"/> is set when the bytes are a plain
/// file on this machine, so the host can hand them to the kernel (sendfile) instead of copying.
/// </summary>
public sealed record BlobContent(long Size, string? LocalPath, Func<CancellationToken, Task<Stream>> OpenAsync);
