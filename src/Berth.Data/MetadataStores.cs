using System.Data.Common;
using Berth.Access.Admin;
using Berth.Access.Audit;
using Berth.Access.Refresh;
using Berth.Registry.Metadata;

namespace Berth.Data;

/// <summary>
/// One metadata database's stores: one class per seam, all over one connection pool, made by
/// <see cref="Sqlite.SqliteMetadata"/> or <see cref="Postgres.NpgsqlMetadata"/>. The host registers
/// each under its interface; disposing this closes the pool.
/// </summary>
public sealed class MetadataStores : IAsyncDisposable, IDisposable
{
    private readonly DbDataSource _dataSource;

    internal MetadataStores(DbDataSource dataSource, string target)
    {
        _dataSource = dataSource;
        Target = target;
    }

    /// <summary>Where the stores point, for messages and logs: a file path, or host, port, database and user (never a password).</summary>
    public string Target { get; }

    public required IMetadataStoreLifecycle Lifecycle { get; init; }

    /// <summary>Where the database stands against this Berth's migrations, read without changing it.</summary>
    /// <exception cref="DbException">The database cannot be reached.</exception>
    public Task<SchemaStatus> ReadSchemaStatusAsync(CancellationToken cancellationToken) =>
        ((Stores.SchemaMigrator)Lifecycle).ReadStatusAsync(cancellationToken);

    public required IRepositoryStore Repositories { get; init; }

    public required IBlobLinkStore Blobs { get; init; }

    public required IManifestStore Manifests { get; init; }

    public required IManifestListing ManifestListing { get; init; }

    public required IUploadSessionStore Uploads { get; init; }

    public required IRefreshTokenStore RefreshTokens { get; init; }

    public required IAuditLog Audit { get; init; }

    public required IDocumentStore Documents { get; init; }

    public required IAdminCredentialStore AdminCredentials { get; init; }

    public required IGcCandidateStore GcCandidates { get; init; }

    public required IGcCoordinationStore GcCoordination { get; init; }

    /// <summary>Garbage collection's claims as a blob store sees them (asked by S3 after each commit).</summary>
    public required IBlobClaimProbe ClaimProbe { get; init; }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
