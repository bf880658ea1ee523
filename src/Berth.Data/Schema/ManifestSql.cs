namespace Berth.Data.Schema;

/// <summary>The manifest and tag statements (and reference kinds) whose text is the same for every provider (binding and locking differ).</summary>
internal static class ManifestSql
{
    public const string ManifestColumns =
        "m.digest, m.media_type, m.size, m.artifact_type, m.subject, m.annotations";

    public const string UpsertTagSql =
        "INSERT INTO tags (repository, name, manifest_digest, updated_at) VALUES (@repository, @tag, @digest, @updated_at) " +
        "ON CONFLICT (repository, name) DO UPDATE SET manifest_digest = excluded.manifest_digest, updated_at = excluded.updated_at";

    public const string GetManifestSql =
        "SELECT " + ManifestColumns + " FROM manifests m WHERE m.repository = @repository AND m.digest = @digest";

    /// <summary>The hot path of every pull by tag: one indexed join.</summary>
    public const string ResolveTagSql =
        "SELECT " + ManifestColumns + " FROM tags t JOIN manifests m ON m.repository = t.repository AND m.digest = t.manifest_digest " +
        "WHERE t.repository = @repository AND t.name = @tag";

    public const string DeleteTagSql =
        "DELETE FROM tags WHERE repository = @repository AND name = @tag";

    public const string ListTagsSql =
        "SELECT name FROM tags WHERE repository = @repository ORDER BY name LIMIT @limit";

    public const string ListTagsAfterSql =
        "SELECT name FROM tags WHERE repository = @repository AND name > @after ORDER BY name LIMIT @limit";

    public const string ListReferrersSql =
        "SELECT " + ManifestColumns + " FROM manifests m WHERE m.repository = @repository AND m.subject = @subject ORDER BY m.digest";

    public const string ListReferrersOfTypeSql =
        "SELECT " + ManifestColumns + " FROM manifests m " +
        "WHERE m.repository = @repository AND m.subject = @subject AND m.artifact_type = @artifact_type ORDER BY m.digest";

    /// <summary>
    /// One page of a repository's manifests by digest (the primary key's order, so no sort), each joined
    /// with its tags: a manifest with several tags is several rows, one without any is one row with a null tag.
    /// </summary>
    public const string ListManifestsPageSql =
        "SELECT " + ManifestColumns + ", t.name FROM (" +
        "SELECT digest, media_type, size, artifact_type, subject, annotations FROM manifests " +
        "WHERE repository = @repository AND digest > @after ORDER BY digest LIMIT @limit) m " +
        "LEFT JOIN tags t ON t.repository = @repository AND t.manifest_digest = m.digest " +
        "ORDER BY m.digest, t.name";

    public const string BlobReference =
        "blob";

    public const string ManifestReference =
        "manifest";
}
