using System.Collections.Concurrent;
using Berth.Registry.Metadata;
using Microsoft.Extensions.Caching.Memory;

namespace Berth.Registry.Manifests;

/// <summary>
/// Resolved tags and digests (including "not found"), kept for a short lifetime so that a pull storm
/// does not query the database for every request. Each repository has a generation number that
/// every write through this process bumps: an entry stored under an older generation is never
/// served, so this process sees its own writes at once. Bounded in entries; generations number one per
/// repository written since start.
/// </summary>
internal sealed class ReferenceCache : IDisposable
{
    private const int MaxEntries = 100_000;

    private readonly TimeSpan lifetime;
    private readonly TimeProvider time;
    private readonly MemoryCache entries = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private readonly ConcurrentDictionary<string, long> generations = new(StringComparer.Ordinal);

    public ReferenceCache(TimeSpan lifetime, TimeProvider time)
    {
        this.lifetime = lifetime;
        this.time = time;
    }

    public long Generation(string repository) => generations.GetValueOrDefault(repository);

    public bool TryGet(string repository, string reference, out ManifestInfo? info)
    {
        info = null;
        if (lifetime <= TimeSpan.Zero
            || !entries.TryGetValue(Key(repository, reference), out Entry? entry)
            || entry is null
            || entry.Generation != Generation(repository)
            || time.GetUtcNow() >= entry.ExpiresAt)
        {
            return false;
        }

        info = entry.Info;
        return true;
    }

    public void Set(string repository, string reference, long generation, ManifestInfo? info)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        var entry = new Entry(info, generation, time.GetUtcNow() + lifetime);
        entries.Set(Key(repository, reference), entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
    }

    /// <summary>One counter per repository written since start: bounded by the catalog itself.</summary>
    public void Invalidate(string repository)
    {
        generations.AddOrUpdate(repository, 1, (_, current) => current + 1);
    }

    public void Dispose() => entries.Dispose();

    private static string Key(string repository, string reference) => string.Concat(repository, "\n", reference);

    private sealed record Entry(ManifestInfo? Info, long Generation, DateTimeOffset ExpiresAt);
}
