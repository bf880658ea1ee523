namespace Berth.Registry.Metadata;

/// <summary>Upload sessions, shared by every replica so that a PATCH may land on any of them.</summary>
public interface IUploadSessionStore
{
    Task CreateUploadAsync(UploadSession session, CancellationToken cancellationToken);

    Task<UploadSession?> GetUploadAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Records progress only when the stored size still equals <paramref name="expectedSize"/>, so two
    /// concurrent chunks cannot both win; false when the session is gone or moved on.
    /// </summary>
    Task<bool> UpdateUploadProgressAsync(Guid id, long expectedSize, long newSize, DateTimeOffset at, CancellationToken cancellationToken);

    Task<bool> DeleteUploadAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Sessions idle since before <paramref name="idleSince"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<UploadSession>> ListExpiredUploadsAsync(DateTimeOffset idleSince, int limit, CancellationToken cancellationToken);
}
