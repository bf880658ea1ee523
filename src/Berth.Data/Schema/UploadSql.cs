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

    /// <summary>Compare-and-set on size: of two chunks racing from the same offset, one updates a row.</summary>
    public const string UpdateUploadProgressSql =
        "UPDATE upload_sessions SET size = @new_size, updated_at = @updated_at WHERE id = @id AND size = @expected_size";

    public const string DeleteUploadSql =
        "DELETE FROM upload_sessions WHERE id = @id";

    public const string ListExpiredUploadsSql =
        "SELECT " + UploadColumns + " FROM upload_sessions WHERE updated_at < @idle_since ORDER BY updated_at, id LIMIT @limit";
}
