namespace Berth.Registry.Uploads;

/// <summary>
/// How a session's stored size says "one request is writing a chunk at offset N": the size becomes
/// <c>-(N + 1)</c>, set by a compare-and-set from N before a single byte is staged. The session store
/// is shared by every replica, so this is the one lock they all see: of two chunks racing from the
/// same offset, the loser fails the claim and answers 416 without touching the staged file, and the
/// winner cuts the file only down to N, the end of what earlier chunks acknowledged.
/// </summary>
/// <remarks>
/// A process that dies while holding a claim leaves the session claimed; the client's next chunk gets
/// 416 and the idle-session expiry removes the upload, as it would any abandoned one.
/// </remarks>
internal static class UploadClaim
{
    public static long Claimed(long offset) => -offset - 1;

    public static bool IsClaimed(long storedSize) => storedSize < 0;

    /// <summary>The acknowledged size, whether or not a chunk is being written after it.</summary>
    public static long Acknowledged(long storedSize) => IsClaimed(storedSize) ? -storedSize - 1 : storedSize;
}
