using Berth.Registry.Metadata;

namespace Berth.Registry.Manifests;

/// <summary>A manifest with its bytes exactly as pushed.</summary>
public sealed record StoredManifest(ManifestInfo Info, ReadOnlyMemory<byte> Content);
