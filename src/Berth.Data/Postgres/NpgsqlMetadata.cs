using Berth.Data.Stores;
using Npgsql;

namespace Berth.Data.Postgres;

/// <summary>
/// The metadata store for several replicas: the same schema and semantics as SQLite's, on a PostgreSQL
/// database shared by every Berth process, one store class per seam over one <see cref="NpgsqlDataSource"/>
/// (Npgsql's pool). Call <see cref="MetadataStores.Lifecycle"/>'s MigrateAsync once before first use.
/// </summary>
/// <remarks>
/// SQLite has one writer at a time, so its stores may read-then-write freely; here every replica
/// writes at once under READ COMMITTED. Each write is therefore one atomic statement (ON CONFLICT,
/// compare-and-set UPDATE) or a short transaction that takes its row or advisory lock first; each store
/// class says which.
/// </remarks>
public static class NpgsqlMetadata
{
    /// <summary>The stores on the database an Npgsql connection string names (<c>Host=…;Database=…;Username=…;Password=…</c>).</summary>
    /// <exception cref="ArgumentException">The connection string is malformed; the message never repeats it.</exception>
    public static MetadataStores Create(string connectionString, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionString.Parse(connectionString).ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            // Shows up in pg_stat_activity, so an operator can tell Berth's sessions apart.
            builder.ConnectionStringBuilder.ApplicationName = "berth";
        }

        var target = PostgresConnectionString.Describe(builder.ConnectionStringBuilder);
        var dataSource = builder.Build();
        var dialect = new PostgresDialect(dataSource);
        return new MetadataStores(dataSource, target)
        {
            Lifecycle = new NpgsqlMigrator(dataSource, timeProvider, target),
            Repositories = new RepositoryStore(dialect),
            Blobs = new NpgsqlBlobLinkStore(dataSource, dialect, timeProvider),
            Manifests = new NpgsqlManifestStore(dataSource, dialect, timeProvider),
            ManifestListing = new ManifestListing(dialect),
            Uploads = new UploadSessionStore(dialect),
            RefreshTokens = new NpgsqlRefreshTokenStore(dataSource, dialect),
            Audit = new NpgsqlAuditLog(dataSource),
            Documents = new NpgsqlDocumentStore(dataSource),
            AdminCredentials = new NpgsqlAdminCredentialStore(dataSource, dialect),
            GcCandidates = new NpgsqlGcCandidateStore(dataSource, dialect),
            GcCoordination = new NpgsqlGcCoordinationStore(dataSource, dialect, timeProvider),
            ClaimProbe = new BlobClaimProbe(dialect),
        };
    }
}
