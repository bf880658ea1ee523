using Berth.Registry.Content;

namespace Berth.Registry.Metadata;

/// <summary>
/// Whether garbage collection holds a claim on a digest right now (it is deleting that digest's bytes).
/// A blob store without an atomic rename (S3) asks this after each commit: a commit that overlapped a
/// claimed deletion waits for the claim to end and writes its bytes again if they were deleted.
/// </summary>
public interface IBlobClaimProbe
{
    Task<bool> IsBlobClaimedAsync(Digest digest, CancellationToken cancellationToken);
}
