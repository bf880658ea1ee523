using Berth.Registry.Content;

namespace Berth.Registry.Blobs;

/// <summary>Committed, content-addressed bytes (blobs and manifests). Never rewritten once committed.</summary>
public interface IBlobStore
{
    /// <summary>The blob's size, or null when it is not stored.</summary>
    Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken);

    Task<BlobContent?> GetAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Streams <paramref name="content"/> to a temporary file while hashing it and commits it under
    /// <paramref name="expected"/> only when the digest matches; nothing becomes visible otherwise.
    /// </summary>
    Task<IngestResult> IngestAsync(Stream content, Digest expected, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);
}
