using Berth.Data.Schema;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Microsoft.Data.Sqlite;

namespace Berth.Data.Sqlite;

/// <summary>Reads garbage collection's claims (<c>blob_sweeps</c>) of the SQLite store; one read per call.</summary>
public sealed class SqliteBlobClaimProbe : IBlobClaimProbe
{
    private readonly string connectionString;

    /// <summary>A probe on the SQLite file at <paramref name="databasePath"/> (the metadata store's file, migrated by it).</summary>
    public SqliteBlobClaimProbe(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWrite, Pooling = true }.ToString();
    }

    public async Task<bool> IsBlobClaimedAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = GarbageCollectionSql.IsBlobClaimed;
        command.Parameters.AddWithValue("@digest", digest.ToString());
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
