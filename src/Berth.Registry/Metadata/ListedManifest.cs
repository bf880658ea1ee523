namespace Berth.Registry.Metadata;

/// <param name="Tags">The tags pointing at the manifest, ordinal order; empty when it is untagged.</param>
public sealed record ListedManifest(ManifestInfo Manifest, IReadOnlyList<string> Tags);
