using Berth.Registry.Content;

namespace Berth.Registry.Blobs;

/// <summary>A committed blob as the blob store sees it: its digest, size and when its bytes were last committed.</summary>
public sealed record StoredBlob(Digest Digest, long Size, DateTimeOffset LastModified);
