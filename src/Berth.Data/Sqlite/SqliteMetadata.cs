using Berth.Data.Stores;
using Microsoft.Data.Sqlite;

namespace Berth.Data.Sqlite;

/// <summary>
/// The embedded metadata store: every registry and access fact in one SQLite file, one store class
/// per seam over one <see cref="SqliteDataSource"/>. Call <see cref="MetadataStores.Lifecycle"/>'s
/// MigrateAsync once before first use.
/// </summary>
public static class SqliteMetadata
{
    /// <summary>The stores on the SQLite file at <paramref name="databasePath"/>, created by MigrateAsync when missing.</summary>
    public static MetadataStores Open(string databasePath, TimeProvider timeProvider) =>
        Open(new SqliteConnectionStringBuilder { DataSource = databasePath }, timeProvider);

    private static MetadataStores Open(SqliteConnectionStringBuilder builder, TimeProvider timeProvider)
    {
        var database = new SqliteDataSource(builder, timeProvider);
        var dialect = new SqliteDialect(database);
        return new MetadataStores(database, database.DatabasePath)
        {
            Lifecycle = new SqliteMigrator(database),
            Repositories = new RepositoryStore(dialect),
            Blobs = new SqliteBlobLinkStore(database, dialect),
            Manifests = new SqliteManifestStore(database, dialect),
            ManifestListing = new ManifestListing(dialect),
            Uploads = new UploadSessionStore(dialect),
            RefreshTokens = new SqliteRefreshTokenStore(database, dialect),
            Audit = new SqliteAuditLog(database),
            Documents = new SqliteDocumentStore(database),
            AdminCredentials = new SqliteAdminCredentialStore(database, dialect),
            GcCandidates = new SqliteGcCandidateStore(database, dialect),
            GcCoordination = new SqliteGcCoordinationStore(database, dialect),
            ClaimProbe = new BlobClaimProbe(dialect),
        };
    }
}
