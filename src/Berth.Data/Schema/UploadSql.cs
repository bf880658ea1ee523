namespace Berth.Data.Schema;

/// <summary>The upload session statements whose text is the same for every provider (binding and locking differ).</summary>
internal static class UploadSql
{
    public const string UploadColumns =
        "id, repository, size, created_at, updated_at";

    public const string CreateUploadSql =
        "INSERT INTO upload_sessions (" + UploadColumns + ") VALUES (@id, @repository, @size, @created_at, @updated_at)";

    public const string GetUploadSql =
        "SELECT " + UploadColumns + " FROM upload_sessions WHERE id = @id";

    /// <summary>
    /// Compare-and-set on size and last activity: of two chunks racing from the same offset one updates a
    /// row, and a chunk claim (negative size) is told apart from the one that took it over by its time.
    /// </summary>
    public const string UpdateUploadProgressSql =
        "UPDATE upload_sessions SET size = @new_size, updated_at = @updated_at WHERE id = @id AND size = @expected_size AND updated_at = @expected_updated_at";

    /// <summary>A claimed session's size is <c>-(N + 1)</c>: it goes back to N, the bytes its chunks acknowledged.</summary>
    public const string ReleaseUploadClaimsSql =
        "UPDATE upload_sessions SET size = -size - 1 WHERE size < 0";

    public const string DeleteUploadSql =
        "DELETE FROM upload_sessions WHERE id = @id";

    public const string ListExpiredUploadsSql =
        "SELECT " + UploadColumns + " FROM upload_sessions WHERE updated_at < @idle_since ORDER BY updated_at, id LIMIT @limit";
}
