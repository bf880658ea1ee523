using Berth.Registry.Metadata;

namespace Berth.Registry.Uploads;

/// <summary>
/// How a session says "one request is writing a chunk at offset N": its stored size becomes
/// <c>-(N + 1)</c> and its last activity the time of the claim, both set by one compare-and-set from
/// the session as it was read, before a single byte is staged. The session store is shared by every
/// replica, so this is the one lock they all see: of two chunks racing from the same offset, the loser
/// fails the claim and answers 416 without touching the staged bytes, and the winner cuts them only
/// down to N, the end of what earlier chunks acknowledged.
/// </summary>
/// <remarks>
/// <para>
/// A claim is identified by (size, time), and every compare-and-set on it compares both. While its bytes
/// stream in, the holder renews the claim every quarter of <see cref="RegistryOptions.UploadClaimTimeout"/>
/// by moving the time on (<see cref="UploadClaimLease"/>). A claim that has not been renewed for the whole
/// timeout belongs to a process that died or lost its database: a new chunk from the acknowledged offset
/// takes it over with the same compare-and-set, which only one taker wins because it moves the time on.
/// The holder that was taken over can then neither renew nor release it (its time no longer matches), so
/// it never records its size over the new holder's claim; it stops writing and answers 416. It also stops
/// on its own once it could not renew for half the timeout, before anyone may take over: the other half
/// is the margin for clocks that disagree between replicas and for a renewal in flight.
/// </para>
/// <para>
/// Why this shape: the time column already exists (idle expiry reads it), so the claim needs no new
/// column and no migration, and the renewal doubles as activity, so the idle expiry never removes an
/// upload while a long chunk is still streaming. A fixed claim lifetime instead of renewals would either
/// lock an upload for as long as the slowest 1 GiB chunk may take, or cut such a chunk off. Two claims
/// never share a stamp: a takeover happens at least one timeout after the stamp it replaces.
/// </para>
/// <para>
/// What it cannot do: a process frozen past the timeout (SIGSTOP, a paused VM) writes on for a moment
/// after it wakes, until its next renewal fails. On the filesystem the staged file is opened exclusively,
/// so the taker's write is refused meanwhile (416, the client retries); on S3 a late chunk object of the
/// frozen writer could replace the taker's, and the commit, which hashes what it writes, then refuses the
/// upload (DIGEST_INVALID): a failed push, never a blob under the wrong digest.
/// </para>
/// <para>
/// With SQLite one process owns the database, so every claim found at start-up was left by a process that
/// is gone: the host releases them all then (<see cref="IUploadSessionStore.ReleaseUploadClaimsAsync"/>),
/// and a restarted server resumes the upload at once instead of after the timeout.
/// </para>
/// </remarks>
internal static class UploadClaim
{
    public static long Claimed(long offset) => -offset - 1;

    public static bool IsClaimed(long storedSize) => storedSize < 0;

    /// <summary>The acknowledged size, whether or not a chunk is being written after it.</summary>
    public static long Acknowledged(long storedSize) => IsClaimed(storedSize) ? -storedSize - 1 : storedSize;

    /// <summary>Whether a new chunk may claim the session: nobody holds it, or its holder stopped renewing it for <paramref name="timeout"/>.</summary>
    public static bool IsFree(UploadSession stored, DateTimeOffset now, TimeSpan timeout) =>
        !IsClaimed(stored.Size) || now - stored.UpdatedAt >= timeout;
}
