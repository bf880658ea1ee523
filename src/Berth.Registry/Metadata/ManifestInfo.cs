using Berth.Registry.Content;

namespace Berth.Registry.Metadata;

/// <summary>A stored manifest as the read paths need it (its bytes live in the blob store).</summary>
public sealed record ManifestInfo(
    Digest Digest,
    string MediaType,
    long Size,
    string? ArtifactType,
    Digest? Subject,
    string? AnnotationsJson);
