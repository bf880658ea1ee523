using Berth.Registry.Content;

namespace Berth.Registry.Metadata;

/// <summary>What the registry learned from a manifest when it was pushed into a repository.</summary>
/// <param name="BlobReferences">Config and layer digests (image manifests), to validate and to keep linked.</param>
/// <param name="ManifestReferences">Child manifest digests (indexes).</param>
/// <param name="AnnotationsJson">The manifest's <c>annotations</c> object as raw JSON, for referrers responses.</param>
public sealed record ManifestRecord(
    string Repository,
    Digest Digest,
    string MediaType,
    long Size,
    string? ArtifactType,
    Digest? Subject,
    string? AnnotationsJson,
    IReadOnlyList<Digest> BlobReferences,
    IReadOnlyList<Digest> ManifestReferences,
    DateTimeOffset PushedAt);
