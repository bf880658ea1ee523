namespace Berth.Data.Schema;

/// <summary>The repository and blob link statements whose text is the same for every provider (binding and locking differ).</summary>
internal static class RepositorySql
{
    public const string EnsureRepositorySql =
        "INSERT INTO repositories (name, created_at) VALUES (@repository, @now) ON CONFLICT (name) DO NOTHING";

    public const string ListRepositoriesSql =
        "SELECT name FROM repositories ORDER BY name LIMIT @limit";

    public const string ListRepositoriesAfterSql =
        "SELECT name FROM repositories WHERE name > @after ORDER BY name LIMIT @limit";

    public const string RepositoryExistsSql =
        "SELECT 1 FROM repositories WHERE name = @repository";

    public const string LinkBlobSql =
        "INSERT INTO blob_links (repository, digest, size, linked_at) VALUES (@repository, @digest, @size, @now) " +
        "ON CONFLICT (repository, digest) DO UPDATE SET linked_at = excluded.linked_at";

    public const string LinkedBlobSizeSql =
        "SELECT size FROM blob_links WHERE repository = @repository AND digest = @digest";

    public const string UnlinkBlobSql =
        "DELETE FROM blob_links WHERE repository = @repository AND digest = @digest";
}
