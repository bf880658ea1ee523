namespace Berth.Data.Schema;

/// <summary>
/// The metadata schema, shared by every provider. Types are limited to TEXT, BIGINT and INTEGER,
/// timestamps are BIGINT unix milliseconds, digests are their <c>algorithm:hex</c> text. The only
/// provider-specific spelling is the auto-increment key of the audit log (<see cref="IdentityToken"/>).
/// Text columns compare ordinally (SQLite BINARY; PostgreSQL needs <c>COLLATE "C"</c> or a C database).
/// </summary>
/// <remarks>
/// Layout:
/// <code>
/// repositories          name PK                           the catalog
/// blob_links            (repository, digest) PK           blobs visible in a repository
/// manifests             (repository, digest) PK           + index (repository, subject) for referrers
/// manifest_references   (repository, manifest_digest, kind, digest) PK   kind = blob | manifest
/// tags                  (repository, name) PK             + index (repository, manifest_digest)
/// upload_sessions       id PK                             + index updated_at for expiry
/// refresh_tokens        token_hash PK                     + index expires_at for purge
/// refresh_token_robots  (token_hash, position) PK         + index robot for revocation
/// audit_log             id identity                       + indexes occurred_at, issuer, subject, repository, (kind, outcome), outcome
/// audit_robots          (robot, audit_id) PK              one row per robot named in an entry
/// admin_documents       (kind, name) PK                   identity providers, projects, robots made by the API
/// admin_settings        name PK                           e.g. the bootstrap administrator's password hash
/// admin_tokens          name PK, token_hash UNIQUE        admin API tokens (hashed)
/// admin_revision        id PK (one row)                   revision of admin_documents, moved on by every write
/// gc_lease              id PK (one row)                   which garbage collection run holds the store, until when
/// blob_sweeps           digest PK                         digests a garbage collection is deleting right now
/// </code>
/// </remarks>
internal static class SchemaMigrations
{
    public const string IdentityToken = "{{identity_key}}";

    /// <summary>Refresh tokens keep the permissions resolved at login (claim templates need the workload's claims).</summary>
    public const string RefreshTokenPermissions = """
        ALTER TABLE refresh_tokens ADD COLUMN permissions TEXT NOT NULL DEFAULT '[]'
        """;

    public const string CreateMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )
        """;

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "initial", Initial),
        new(2, "refresh token permissions", RefreshTokenPermissions),
        new(3, "admin objects and credentials", AdminObjects),
        new(4, "admin documents revision", AdminRevision),
        new(5, "garbage collection", GarbageCollection),
        new(6, "audit unverified claims", AuditUnverified),
        new(7, "audit issuer index", AuditIssuerIndex),
    ];

    /// <summary>
    /// Every exchange and every pull appends an audit row, and each secondary index is one more b-tree
    /// insert per row. (issuer, subject) was the costliest: subjects are many (one per CI repository and
    /// branch, per service account), so a batch dirtied about a page of it per entry. It served two filters:
    /// issuer + subject, which the subject index serves as well (a subject belongs to one issuer), and
    /// issuer alone, which an index on issuer serves; an issuer has few values, so that index takes its
    /// inserts on the same few pages. With this migration a batch of entries from 200 subjects costs a
    /// third less to insert on SQLite (bench/RESULTS.md, issue 15), and every filter of the audit API still
    /// reads through an index (<c>SqliteMetadataStoreTests.AuditQueryFilter_QueryPlan_*</c>).
    /// </summary>
    public const string AuditIssuerIndex = """
        DROP INDEX ix_audit_log_issuer_subject;
        CREATE INDEX ix_audit_log_issuer ON audit_log (issuer);
        """;

    /// <summary>
    /// Marks entries whose issuer, subject and jti were read from a token that failed verification: they
    /// are what the caller claimed, not who it is.
    /// </summary>
    public const string AuditUnverified = """
        ALTER TABLE audit_log ADD COLUMN unverified INTEGER NOT NULL DEFAULT 0
        """;

    /// <summary>
    /// Garbage collection: a lease row so one run at a time holds the store (replicas share it), the
    /// digests being swept (a mount refuses them), and the indexes that find what nothing references
    /// by digest across repositories and links by age.
    /// </summary>
    public const string GarbageCollection = """
        CREATE TABLE gc_lease (
            id INTEGER NOT NULL PRIMARY KEY,
            holder TEXT NULL,
            expires_at BIGINT NOT NULL
        );

        INSERT INTO gc_lease (id, holder, expires_at) VALUES (1, NULL, 0);

        CREATE TABLE blob_sweeps (
            digest TEXT NOT NULL PRIMARY KEY,
            claimed_at BIGINT NOT NULL
        );

        CREATE INDEX ix_manifest_references_any_digest ON manifest_references (digest);
        CREATE INDEX ix_manifests_digest ON manifests (digest);
        CREATE INDEX ix_blob_links_linked_at ON blob_links (linked_at);
        """;

    /// <summary>One revision for all admin documents: writes compare-and-swap it, replicas poll it.</summary>
    public const string AdminRevision = """
        CREATE TABLE admin_revision (
            id INTEGER NOT NULL PRIMARY KEY,
            revision BIGINT NOT NULL
        );

        INSERT INTO admin_revision (id, revision) VALUES (1, 0);
        """;

    /// <summary>Objects created through the admin API (JSON per kind and name), the bootstrap password hash and admin tokens.</summary>
    public const string AdminObjects = """
        CREATE TABLE admin_documents (
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            document TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (kind, name)
        );

        CREATE TABLE admin_settings (
            name TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE admin_tokens (
            name TEXT NOT NULL PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NULL
        );
        """;

    private const string Initial = """
        CREATE TABLE repositories (
            name TEXT NOT NULL PRIMARY KEY,
            created_at BIGINT NOT NULL
        );

        CREATE TABLE blob_links (
            repository TEXT NOT NULL REFERENCES repositories (name),
            digest TEXT NOT NULL,
            size BIGINT NOT NULL,
            linked_at BIGINT NOT NULL,
            PRIMARY KEY (repository, digest)
        );
        CREATE INDEX ix_blob_links_digest ON blob_links (digest);

        CREATE TABLE manifests (
            repository TEXT NOT NULL REFERENCES repositories (name),
            digest TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size BIGINT NOT NULL,
            artifact_type TEXT NULL,
            subject TEXT NULL,
            annotations TEXT NULL,
            pushed_at BIGINT NOT NULL,
            PRIMARY KEY (repository, digest)
        );
        CREATE INDEX ix_manifests_subject ON manifests (repository, subject);

        CREATE TABLE manifest_references (
            repository TEXT NOT NULL,
            manifest_digest TEXT NOT NULL,
            kind TEXT NOT NULL,
            digest TEXT NOT NULL,
            PRIMARY KEY (repository, manifest_digest, kind, digest),
            FOREIGN KEY (repository, manifest_digest) REFERENCES manifests (repository, digest) ON DELETE CASCADE
        );
        CREATE INDEX ix_manifest_references_digest ON manifest_references (repository, digest);

        CREATE TABLE tags (
            repository TEXT NOT NULL,
            name TEXT NOT NULL,
            manifest_digest TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (repository, name),
            FOREIGN KEY (repository, manifest_digest) REFERENCES manifests (repository, digest) ON DELETE CASCADE
        );
        CREATE INDEX ix_tags_manifest ON tags (repository, manifest_digest);

        CREATE TABLE upload_sessions (
            id TEXT NOT NULL PRIMARY KEY,
            repository TEXT NOT NULL,
            size BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        );
        CREATE INDEX ix_upload_sessions_updated_at ON upload_sessions (updated_at);

        CREATE TABLE refresh_tokens (
            token_hash TEXT NOT NULL PRIMARY KEY,
            issuer TEXT NOT NULL,
            subject TEXT NOT NULL,
            robots_fingerprint TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL
        );
        CREATE INDEX ix_refresh_tokens_expires_at ON refresh_tokens (expires_at);

        CREATE TABLE refresh_token_robots (
            token_hash TEXT NOT NULL REFERENCES refresh_tokens (token_hash) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            robot TEXT NOT NULL,
            PRIMARY KEY (token_hash, position)
        );
        CREATE INDEX ix_refresh_token_robots_robot ON refresh_token_robots (robot);

        CREATE TABLE audit_log (
            id {{identity_key}},
            occurred_at BIGINT NOT NULL,
            kind TEXT NOT NULL,
            outcome TEXT NOT NULL,
            issuer TEXT NULL,
            subject TEXT NULL,
            token_id TEXT NULL,
            robots TEXT NULL,
            repository TEXT NULL,
            reference TEXT NULL,
            digest TEXT NULL,
            client_ip TEXT NULL,
            reason TEXT NULL
        );
        CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at);
        CREATE INDEX ix_audit_log_issuer_subject ON audit_log (issuer, subject);
        CREATE INDEX ix_audit_log_subject ON audit_log (subject);
        CREATE INDEX ix_audit_log_repository ON audit_log (repository);
        CREATE INDEX ix_audit_log_kind_outcome ON audit_log (kind, outcome);
        CREATE INDEX ix_audit_log_outcome ON audit_log (outcome);

        CREATE TABLE audit_robots (
            robot TEXT NOT NULL,
            audit_id BIGINT NOT NULL REFERENCES audit_log (id) ON DELETE CASCADE,
            PRIMARY KEY (robot, audit_id)
        );
        CREATE INDEX ix_audit_robots_audit_id ON audit_robots (audit_id);
        """;
}
