using Berth.Registry.Content;

namespace Berth.Registry.Metadata;

/// <summary>
/// How a garbage collection run keeps out of the way of other runs and of pushes: one lease per store
/// (every replica sharing the database sees it), and a claim per digest while its bytes are deleted.
/// </summary>
public interface IGcCoordinationStore
{
    /// <summary>
    /// Takes (or renews) the store's one lease for <paramref name="holder"/> until <paramref name="until"/>;
    /// false while another holder's lease has not expired.
    /// </summary>
    Task<bool> TryAcquireGcLeaseAsync(string holder, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Gives the lease up when <paramref name="holder"/> still has it.</summary>
    Task ReleaseGcLeaseAsync(string holder, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the digest for deletion in one atomic step, only when no repository links it, no manifest
    /// is it and no manifest references it. Serialized with <see cref="IBlobLinkStore.MountBlobAsync"/>
    /// of the same digest, which refuses a claimed digest.
    /// </summary>
    Task<bool> TryClaimBlobAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Ends the claim once the bytes are gone (or kept).</summary>
    Task ReleaseBlobClaimAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Drops claims left by a run that crashed; called by the lease holder only.</summary>
    Task<int> ClearBlobClaimsAsync(CancellationToken cancellationToken);
}
