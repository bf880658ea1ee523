namespace Berth.Registry.Metadata;

/// <summary>An upload in progress. Its bytes are staged in the blob store under <see cref="Id"/>.</summary>
/// <param name="Size">Bytes received so far; the next chunk must start here.</param>
/// <param name="UpdatedAt">Last activity; sessions idle longer than the configured expiry are removed.</param>
public sealed record UploadSession(Guid Id, string Repository, long Size, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
