using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Microsoft.Extensions.Caching.Memory;

namespace Berth.Registry.Manifests;

/// <summary>
/// Pushing, reading and deleting manifests. Bytes are stored content-addressed in the blob store
/// (byte-for-byte as pushed); facts go to the metadata store. Manifest bytes never change for a
/// digest, so they are cached in memory without invalidation, bounded in total size.
/// </summary>
public sealed class ManifestService : IDisposable
{
    private const long CacheBytes = 64 * 1024 * 1024;

    private readonly IManifestStore manifests;
    private readonly IBlobLinkStore links;
    private readonly IBlobStore blobs;
    private readonly TimeProvider time;
    private readonly MemoryCache contentCache = new(new MemoryCacheOptions { SizeLimit = CacheBytes });
    private readonly ReferenceCache references;
    private readonly bool allowSparseIndexes;

    public ManifestService(IManifestStore manifests, IBlobLinkStore links, IBlobStore blobs, RegistryOptions options, TimeProvider time)
    {
        this.manifests = manifests;
        this.links = links;
        this.blobs = blobs;
        this.time = time;
        references = new ReferenceCache(options.ReferenceCacheLifetime, time);
        allowSparseIndexes = options.AllowSparseIndexes;
    }

    /// <param name="reference">A tag or a digest.</param>
    public Task<ManifestPutResult> PutAsync(string repository, string reference, ReadOnlyMemory<byte> content, string? contentType, CancellationToken cancellationToken) =>
        PutAsync(repository, reference, [], content, contentType, cancellationToken);

    /// <param name="reference">A tag or a digest (sha256 or sha512: the manifest is addressed in that algorithm).</param>
    /// <param name="tags">More tags to point at the manifest in the same push (the distribution spec's <c>?tag=</c>).</param>
    public async Task<ManifestPutResult> PutAsync(string repository, string reference, IReadOnlyList<string> tags, ReadOnlyMemory<byte> content, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.FirstOrDefault(t => !Names.IsValidTag(t)) is { } badTag)
        {
            return new ManifestPutResult(ManifestPutOutcome.TagInvalid, Message: $"tag parameter '{badTag}' is not a valid tag");
        }

        Digest digest;
        string? tag = null;
        if (Digest.TryParse(reference, out var pinned))
        {
            digest = Digest.Compute(content.Span, pinned.Algorithm);
            if (digest != pinned)
            {
                return new ManifestPutResult(ManifestPutOutcome.DigestMismatch, digest, Message: $"manifest digest is {digest}, not {pinned}");
            }
        }
        else if (Names.IsValidTag(reference))
        {
            tag = reference;
            digest = Digest.Compute(content.Span);
        }
        else
        {
            return new ManifestPutResult(ManifestPutOutcome.TagInvalid, Message: $"'{reference}' is neither a valid tag nor a digest");
        }

        ParsedManifest parsed;
        try
        {
            parsed = ManifestParser.Parse(content, contentType);
        }
        catch (ManifestParseException e)
        {
            return new ManifestPutResult(ManifestPutOutcome.Invalid, digest, Message: e.Message);
        }

        var unknown = await FindUnknownAsync(repository, parsed, cancellationToken);
        if (unknown.Count > 0)
        {
            return new ManifestPutResult(ManifestPutOutcome.ReferencesUnknown, digest, Message: $"manifest references {unknown.Count} blob(s) or manifest(s) not in {repository}", Unknown: unknown);
        }

        using (var stream = new MemoryStream(content.ToArray(), writable: false))
        {
            await blobs.IngestAsync(stream, digest, cancellationToken);
        }

        var record = new ManifestRecord(repository, digest, parsed.MediaType, content.Length, parsed.ArtifactType, parsed.Subject, parsed.AnnotationsJson, parsed.BlobReferences, parsed.ManifestReferences, time.GetUtcNow());
        var allTags = (tag is null ? tags : [tag, .. tags]).Distinct(StringComparer.Ordinal).ToList();
        await manifests.PutManifestAsync(record, allTags.FirstOrDefault(), cancellationToken);
        foreach (var more in allTags.Skip(1))
        {
            // The manifest row is there already; each call only points one more tag at it.
            await manifests.PutManifestAsync(record, more, cancellationToken);
        }

        references.Invalidate(repository);

        // Garbage collection may have dropped a stale link (or an untagged child manifest) between the
        // check above and the commit. It drops links before it claims bytes, and a claim sees this
        // manifest's references once they are committed; so checking again now finds every such loss
        // while the bytes may be gone, and the push fails as if the check had seen it: the client uploads again.
        var lost = await FindUnknownAsync(repository, parsed, cancellationToken);
        if (lost.Count > 0)
        {
            await manifests.DeleteManifestAsync(repository, digest, cancellationToken);
            references.Invalidate(repository);
            return new ManifestPutResult(ManifestPutOutcome.ReferencesUnknown, digest, Message: $"manifest references {lost.Count} blob(s) or manifest(s) not in {repository}", Unknown: lost);
        }

        RegistryMetrics.Pushed.Add(content.Length, RegistryMetrics.Kind("manifest"));
        return new ManifestPutResult(ManifestPutOutcome.Created, digest, parsed.Subject) { Tags = allTags };
    }

    /// <summary>The manifest's facts without its bytes (HEAD), or null when the repository has no such reference.</summary>
    public async Task<ManifestInfo?> ResolveAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        if (references.TryGet(repository, reference, out var cached))
        {
            return cached;
        }

        var generation = references.Generation(repository);
        var info = Digest.TryParse(reference, out var digest)
            ? await manifests.GetManifestAsync(repository, digest, cancellationToken)
            : await manifests.ResolveTagAsync(repository, reference, cancellationToken);
        references.Set(repository, reference, generation, info);
        return info;
    }

    public async Task<StoredManifest?> GetAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var info = await ResolveAsync(repository, reference, cancellationToken);
        if (info is null)
        {
            return null;
        }

        var key = info.Digest.ToString();
        if (contentCache.TryGetValue(key, out byte[]? cached) && cached is not null)
        {
            return new StoredManifest(info, cached);
        }

        var blob = await blobs.GetAsync(info.Digest, cancellationToken);
        if (blob is null)
        {
            return null;
        }

        byte[] bytes;
        await using (var stream = await blob.OpenAsync(cancellationToken))
        {
            bytes = new byte[blob.Size];
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        contentCache.Set(key, bytes, new MemoryCacheEntryOptions { Size = bytes.Length });
        return new StoredManifest(info, bytes);
    }

    /// <summary>Deletes a tag (the manifest stays) or, by digest, the manifest and its tags.</summary>
    public async Task<bool> DeleteAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var deleted = Digest.TryParse(reference, out var digest)
            ? await manifests.DeleteManifestAsync(repository, digest, cancellationToken)
            : await manifests.DeleteTagAsync(repository, reference, cancellationToken);
        references.Invalidate(repository);
        return deleted;
    }

    private async Task<List<Digest>> FindUnknownAsync(string repository, ParsedManifest parsed, CancellationToken cancellationToken)
    {
        var unknown = new List<Digest>();
        if (parsed.BlobReferences.Count > 0)
        {
            unknown.AddRange(await links.FindUnlinkedBlobsAsync(repository, parsed.BlobReferences, cancellationToken));
        }

        // A sparse index may name children this repository does not hold, when the operator allows it.
        if (parsed.ManifestReferences.Count > 0 && !allowSparseIndexes)
        {
            unknown.AddRange(await manifests.FindMissingManifestsAsync(repository, parsed.ManifestReferences.Distinct().ToList(), cancellationToken));
        }

        return unknown;
    }

    public void Dispose()
    {
        contentCache.Dispose();
        references.Dispose();
    }
}
