using System.Collections.Concurrent;
using System.Security.Cryptography;
using Berth.Registry.Content;

namespace Berth.Registry.Uploads;

/// <summary>
/// Keeps the sha256 state of uploads in progress between chunks, so that closing an upload does
/// not re-read its bytes. Purely an optimisation: when a hash is missing (another replica took the
/// chunk, the process restarted, the table was full) the staged file is hashed at the end.
/// </summary>
internal sealed class RunningHashes : IDisposable
{
    private const int Capacity = 4096;

    private readonly ConcurrentDictionary<Guid, RunningHash> hashes = new();

    /// <summary>Takes the running hash when it covers exactly <paramref name="offset"/> bytes; else a fresh one at 0, or null.</summary>
    public IncrementalHash? Take(Guid upload, long offset)
    {
        if (hashes.TryRemove(upload, out var running))
        {
            if (running.Length == offset)
            {
                return running.Hash;
            }

            running.Hash.Dispose();
        }

        return offset == 0 ? Digest.CreateHasher(Digest.Sha256) : null;
    }

    public void Return(Guid upload, IncrementalHash hash, long length)
    {
        if (hashes.Count >= Capacity || !hashes.TryAdd(upload, new RunningHash(hash, length)))
        {
            hash.Dispose();
        }
    }

    /// <summary>The sha256 digest of the upload when its running hash covers exactly <paramref name="length"/> bytes.</summary>
    public Digest? Finish(Guid upload, long length)
    {
        var hash = Take(upload, length);
        if (hash is null)
        {
            return null;
        }

        using (hash)
        {
            return Digest.FromHash(Digest.Sha256, hash.GetHashAndReset());
        }
    }

    public void Forget(Guid upload)
    {
        if (hashes.TryRemove(upload, out var running))
        {
            running.Hash.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var running in hashes.Values)
        {
            running.Hash.Dispose();
        }

        hashes.Clear();
    }

    private sealed record RunningHash(IncrementalHash Hash, long Length);
}
