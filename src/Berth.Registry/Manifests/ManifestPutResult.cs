using Berth.Registry.Content;

namespace Berth.Registry.Manifests;

/// <param name="Message">Why the manifest was refused, for the client.</param>
/// <param name="Unknown">Referenced blobs or child manifests the repository does not have.</param>
public sealed record ManifestPutResult(
    ManifestPutOutcome Outcome,
    Digest? Digest = null,
    Digest? Subject = null,
    string? Message = null,
    IReadOnlyList<Digest>? Unknown = null);
