using Berth.Registry.Content;

namespace Berth.Registry.Manifests;

/// <param name="Message">Why the manifest was refused, for the client.</param>
/// <param name="Unknown">Referenced blobs or child manifests the repository does not have.</param>
public sealed record ManifestPutResult(
    ManifestPutOutcome Outcome,
    Digest? Digest = null,
    Digest? Subject = null,
    string? Message = null,
    IReadOnlyList<Digest>? Unknown = null)
{
    /// <summary>Every tag that now points at the manifest (the reference's and the <c>?tag=</c> ones), for <c>OCI-Tag</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
