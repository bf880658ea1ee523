using System.Collections.Concurrent;

namespace Berth.Storage.S3;

/// <summary>
/// Presigned GETs of blobs, each reused for a tenth of its lifetime. Signing one through the SDK costs
/// most of the CPU of a redirected pull's 307 (the SDK resolves the endpoint and signs anew each time),
/// and a registry serves the same few layers to many nodes at once. A reused URL still expires within
/// the lifetime asked for, and at least nine tenths of it from now, so a client always has time to start
/// the transfer; anyone handed it was authorized for that blob, as for a fresh one.
/// </summary>
internal sealed class PresignedUrls(TimeProvider time, Func<string, DateTimeOffset, Task<Uri>> sign)
{
    /// <summary>Bounds the cache; past it, entries are dropped (a miss only costs a signature).</summary>
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Signed> signed = new(StringComparer.Ordinal);

    public async Task<Uri> GetAsync(string key, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        if (signed.TryGetValue(key, out var cached) && cached.Lifetime == lifetime && now >= cached.SignedAt && now - cached.SignedAt <= lifetime / 10)
        {
            return cached.Url;
        }

        var url = await sign(key, now + lifetime);
        if (signed.Count >= Capacity)
        {
            signed.Clear();
        }

        signed[key] = new Signed(url, now, lifetime);
        return url;
    }

    private sealed record Signed(Uri Url, DateTimeOffset SignedAt, TimeSpan Lifetime);
}
