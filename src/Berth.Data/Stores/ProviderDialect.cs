using System.Data.Common;

namespace Berth.Data.Stores;

/// <summary>
/// What a store class shared by both providers needs to know of its provider: where connections come
/// from and how one is made ready for a write. Whatever else differs (row and advisory locks, upserts,
/// id allocation, IN lists against arrays) stays in the provider's own store classes.
/// </summary>
internal abstract class ProviderDialect(DbDataSource dataSource, string provider)
{
    /// <summary>A pooled connection for reads: no session set-up, one statement's cost.</summary>
    public async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        MetadataMetrics.TrackLease(connection, provider);
        return connection;
    }

    /// <summary>A pooled connection for a write of one statement.</summary>
    public abstract ValueTask<DbConnection> OpenWriteAsync(CancellationToken cancellationToken);
}
