namespace Berth.Data.Schema;

/// <summary>
/// The garbage-collection statements, the same text for every provider (only parameter binding
/// differs). Pages are keysets on (repository, digest): the first page has no key, the next ones
/// compare the row value <c>(repository, digest) &gt; (@after_repository, @after_digest)</c>, which
/// SQLite and PostgreSQL both answer by seeking the primary key, so a page costs the same wherever it
/// starts (an <c>OR</c> of the key's parts, or a NULL-means-first switch, made every page scan the key
/// from its beginning: a run over N rows with P pages read about P·N/2 rows).
/// </summary>
internal static class GarbageCollectionSql
{
    private const string AfterManifest =
        " AND (m.repository, m.digest) > (@after_repository, @after_digest)";

    private const string AfterLink =
        " AND (l.repository, l.digest) > (@after_repository, @after_digest)";

    /// <summary>No tag, no index of the repository lists it, and not a referrer of a manifest still there.</summary>
    private const string UntaggedCondition =
        "m.pushed_at < @before " +
        "AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.repository = m.repository AND t.manifest_digest = m.digest) " +
        "AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.repository = m.repository AND r.digest = m.digest) " +
        "AND (m.subject IS NULL OR NOT EXISTS (SELECT 1 FROM manifests s WHERE s.repository = m.repository AND s.digest = m.subject))";

    private const string StaleLinkCondition =
        "l.linked_at < @before " +
        "AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.repository = l.repository AND r.digest = l.digest)";

    public const string ListUntaggedManifests =
        "SELECT m.repository, m.digest FROM manifests m WHERE " + UntaggedCondition + " ORDER BY m.repository, m.digest LIMIT @limit";

    public const string ListUntaggedManifestsAfter =
        "SELECT m.repository, m.digest FROM manifests m WHERE " + UntaggedCondition + AfterManifest + " ORDER BY m.repository, m.digest LIMIT @limit";

    public const string IsUntaggedManifest =
        "SELECT 1 FROM manifests m WHERE m.repository = @repository AND m.digest = @digest AND " + UntaggedCondition;

    public const string ListStaleLinks =
        "SELECT l.repository, l.digest FROM blob_links l WHERE " + StaleLinkCondition + " ORDER BY l.repository, l.digest LIMIT @limit";

    public const string ListStaleLinksAfter =
        "SELECT l.repository, l.digest FROM blob_links l WHERE " + StaleLinkCondition + AfterLink + " ORDER BY l.repository, l.digest LIMIT @limit";

    public const string DropStaleLink =
        "DELETE FROM blob_links WHERE repository = @repository AND digest = @digest AND linked_at < @before " +
        "AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.repository = blob_links.repository AND r.digest = blob_links.digest)";

    /// <summary>The digests (of an IN list or array, spliced in at {0}) that something still holds on to.</summary>
    public const string HeldDigests =
        "SELECT digest FROM blob_links WHERE digest {0} AND linked_at >= @before " +
        "UNION SELECT digest FROM manifest_references WHERE digest {0} " +
        "UNION SELECT digest FROM manifests WHERE digest {0} " +
        "UNION SELECT digest FROM blob_sweeps WHERE digest {0}";

    /// <summary>One statement, so the check and the claim are one atomic step.</summary>
    public const string ClaimBlob =
        "INSERT INTO blob_sweeps (digest, claimed_at) SELECT @digest, @now WHERE " +
        "NOT EXISTS (SELECT 1 FROM blob_links WHERE digest = @digest) " +
        "AND NOT EXISTS (SELECT 1 FROM manifest_references WHERE digest = @digest) " +
        "AND NOT EXISTS (SELECT 1 FROM manifests WHERE digest = @digest) " +
        "ON CONFLICT (digest) DO NOTHING";

    public const string ReleaseBlobClaim = "DELETE FROM blob_sweeps WHERE digest = @digest";

    public const string ClearBlobClaims = "DELETE FROM blob_sweeps";

    public const string IsBlobClaimed = "SELECT 1 FROM blob_sweeps WHERE digest = @digest";

    public const string AcquireLease =
        "UPDATE gc_lease SET holder = @holder, expires_at = @until WHERE id = 1 AND (holder IS NULL OR holder = @holder OR expires_at <= @now)";

    public const string ReleaseLease =
        "UPDATE gc_lease SET holder = NULL, expires_at = 0 WHERE id = 1 AND holder = @holder";
}
