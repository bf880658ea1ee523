using Berth.Registry.Content;
using Berth.Registry.Metadata;

namespace Berth.Tests.GarbageCollection;

/// <summary>
/// The real manifest store, with one hook that runs just before a manifest is recorded: lets a test put
/// a garbage collection run exactly between a push's reference check and its commit.
/// </summary>
internal sealed class SweepingManifestStore(IManifestStore inner) : IManifestStore
{
    public Func<Task>? BeforeNextPut { get; set; }

    public async Task PutManifestAsync(ManifestRecord manifest, string? tag, CancellationToken cancellationToken)
    {
        var hook = BeforeNextPut;
        BeforeNextPut = null;
        if (hook is not null)
        {
            await hook();
        }

        await inner.PutManifestAsync(manifest, tag, cancellationToken);
    }

    public Task<ManifestInfo?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) => inner.GetManifestAsync(repository, digest, cancellationToken);

    public Task<ManifestInfo?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken) => inner.ResolveTagAsync(repository, tag, cancellationToken);

    public Task<IReadOnlyList<Digest>> FindMissingManifestsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
        inner.FindMissingManifestsAsync(repository, digests, cancellationToken);

    public Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) => inner.DeleteManifestAsync(repository, digest, cancellationToken);

    public Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken) => inner.DeleteTagAsync(repository, tag, cancellationToken);

    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, string? after, int limit, CancellationToken cancellationToken) => inner.ListTagsAsync(repository, after, limit, cancellationToken);

    public Task<IReadOnlyList<ManifestInfo>> ListReferrersAsync(string repository, Digest subject, string? artifactType, CancellationToken cancellationToken) =>
        inner.ListReferrersAsync(repository, subject, artifactType, cancellationToken);
}
