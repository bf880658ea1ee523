using System.Diagnostics;
using Berth.Registry.Content;
using Berth.Registry.Metadata;

namespace Berth.Storage.S3;

/// <summary>
/// Keeps a commit's bytes safe from a garbage collection that deletes the same digest at the same time.
/// </summary>
/// <remarks>
/// S3 has no atomic rename, so the filesystem store's trick (move away, look at what was moved, put
/// back) is not available. Garbage collection deletes a digest's object only under a claim in the
/// metadata store, which it holds from before its final HEAD (the age check) until after its DELETE.
/// A commit that writes the object at time W can lose its bytes only to a run whose HEAD came before W
/// and whose DELETE came after W, and such a run holds its claim at W. So, after writing, the commit
/// waits until the digest is not claimed (any overlapping run has finished) and then checks that the
/// object is there: if it is, no later run can delete it as old (its HEAD will see the fresh write); if
/// not, a run deleted it and the commit writes again. This needs no clock agreement between replicas
/// and works on every S3-compatible server (no conditional delete).
/// </remarks>
internal sealed class SweepGuard(IBlobClaimProbe claims, TimeSpan maxWait)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>True when the bytes survived every overlapping deletion; false when one deleted them.</summary>
    public async Task<bool> SurvivedAsync(Digest digest, Func<CancellationToken, Task<bool>> exists, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (await claims.IsBlobClaimedAsync(digest, cancellationToken))
        {
            if (Stopwatch.GetElapsedTime(started) > maxWait)
            {
                throw new TimeoutException($"garbage collection held its claim on {digest} for more than {maxWait.TotalSeconds:0} s; the commit gives up (push again)");
            }

            // Real time on purpose: a claim lasts one HEAD and one DELETE of the other process.
            await Task.Delay(Poll, cancellationToken);
        }

        return await exists(cancellationToken);
    }
}
