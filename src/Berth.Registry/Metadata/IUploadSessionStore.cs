namespace Berth.Registry.Metadata;

/// <summary>Upload sessions, shared by every replica so that a PATCH may land on any of them.</summary>
/// <remarks>
/// A negative size <c>-(N + 1)</c> says that a request holds the session to write a chunk at offset N
/// (see <c>Uploads/UploadClaim</c>); the store only compares and sets it, except in
/// <see cref="ReleaseUploadClaimsAsync"/>. Times are kept to the millisecond.
/// </remarks>
public interface IUploadSessionStore
{
    Task CreateUploadAsync(UploadSession session, CancellationToken cancellationToken);

    Task<UploadSession?> GetUploadAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Records progress only when the stored size and last activity still equal <paramref name="expectedSize"/>
    /// and <paramref name="expectedUpdatedAt"/> (to the millisecond), so of two requests that read the same
    /// session only one can move it on; false when the session is gone or moved on.
    /// </summary>
    Task<bool> UpdateUploadProgressAsync(Guid id, long expectedSize, DateTimeOffset expectedUpdatedAt, long newSize, DateTimeOffset at, CancellationToken cancellationToken);

    Task<bool> DeleteUploadAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Sessions idle since before <paramref name="idleSince"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<UploadSession>> ListExpiredUploadsAsync(DateTimeOffset idleSince, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Sets every claimed session (size <c>-(N + 1)</c>) back to its acknowledged size N, keeping its last
    /// activity; returns how many. Only for a store that one process owns, when that process starts: every
    /// claim in it was left by a process that is gone.
    /// </summary>
    Task<int> ReleaseUploadClaimsAsync(CancellationToken cancellationToken);
}
