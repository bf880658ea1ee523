using Berth.Registry.Content;

namespace Berth.Registry.Metadata;

/// <summary>Every manifest of a repository, tagged or not, a page at a time (the console's repository page).</summary>
public interface IManifestListing
{
    /// <summary>
    /// The repository's manifests in digest (ordinal) order, strictly after <paramref name="after"/>, at most
    /// <paramref name="limit"/>, each with its tags in ordinal order (none: untagged, e.g. pushed by digest or an index's child).
    /// </summary>
    Task<IReadOnlyList<ListedManifest>> ListManifestsAsync(string repository, Digest? after, int limit, CancellationToken cancellationToken);
}
