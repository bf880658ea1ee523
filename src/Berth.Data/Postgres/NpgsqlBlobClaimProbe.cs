using Berth.Data.Schema;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace Berth.Data.Postgres;

/// <summary>
/// Reads garbage collection's claims (<c>blob_sweeps</c>) of the PostgreSQL store. It keeps its own small
/// connection pool: it is asked once per blob commit, and only by blob stores that need it (S3).
/// </summary>
public sealed class NpgsqlBlobClaimProbe : IBlobClaimProbe, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource dataSource;

    private NpgsqlBlobClaimProbe(NpgsqlDataSource dataSource) => this.dataSource = dataSource;

    /// <exception cref="ArgumentException">The connection string is malformed; the message never repeats it.</exception>
    public static NpgsqlBlobClaimProbe Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionString.Parse(connectionString).ConnectionString);
        builder.ConnectionStringBuilder.MaxPoolSize = Math.Min(builder.ConnectionStringBuilder.MaxPoolSize, 10);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = "berth";
        }

        return new NpgsqlBlobClaimProbe(builder.Build());
    }

    public async Task<bool> IsBlobClaimedAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(GarbageCollectionSql.IsBlobClaimed);
        command.Parameters.AddWithValue("@digest", NpgsqlDbType.Text, digest.ToString());
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();
}
