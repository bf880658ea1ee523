using Berth.Registry.Content;

namespace Berth.Registry.Metadata;

/// <summary>Manifests and tags of repositories.</summary>
public interface IManifestStore
{
    /// <summary>
    /// Records the manifest in its repository and, when <paramref name="tag"/> is given, points the
    /// tag at it, in one transaction. Pushing the same digest again is not an error.
    /// </summary>
    Task PutManifestAsync(ManifestRecord manifest, string? tag, CancellationToken cancellationToken);

    Task<ManifestInfo?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken);

    Task<ManifestInfo?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken);

    /// <summary>The subset of <paramref name="digests"/> that is not a manifest of the repository.</summary>
    Task<IReadOnlyList<Digest>> FindMissingManifestsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);

    /// <summary>Deletes the manifest and every tag pointing at it; false when it was not there.</summary>
    Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>Deletes the tag only; false when it was not there.</summary>
    Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken);

    /// <summary>Tags in lexical (ordinal) order, strictly after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(string repository, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Manifests of the repository whose <c>subject</c> is <paramref name="subject"/>, optionally of one artifact type.</summary>
    Task<IReadOnlyList<ManifestInfo>> ListReferrersAsync(string repository, Digest subject, string? artifactType, CancellationToken cancellationToken);
}
