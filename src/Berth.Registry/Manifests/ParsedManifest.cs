using Berth.Registry.Content;

namespace Berth.Registry.Manifests;

/// <summary>The facts a registry needs from a manifest's JSON.</summary>
/// <param name="ArtifactType">The manifest's <c>artifactType</c>, or the config media type of an image manifest.</param>
public sealed record ParsedManifest(
    string MediaType,
    string? ArtifactType,
    Digest? Subject,
    string? AnnotationsJson,
    IReadOnlyList<Digest> BlobReferences,
    IReadOnlyList<Digest> ManifestReferences);
