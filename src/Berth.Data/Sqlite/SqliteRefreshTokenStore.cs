using Berth.Access.Refresh;
using Berth.Data.Stores;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.RefreshTokenSql;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>Hashed refresh tokens and the robots they are bound to (<see cref="IRefreshTokenStore"/>).</summary>
internal sealed class SqliteRefreshTokenStore(SqliteDataSource database, SqliteDialect dialect) : RefreshTokenStore(dialect)
{
    private const string InsertRefreshTokenSql =
        "INSERT INTO refresh_tokens (token_hash, issuer, subject, robots_fingerprint, created_at, expires_at, permissions) " +
        "VALUES (@token_hash, @issuer, @subject, @robots_fingerprint, @created_at, @expires_at, @permissions)";

    private const string InsertRefreshTokenRobotSql =
        "INSERT INTO refresh_token_robots (token_hash, position, robot) VALUES (@token_hash, @position, @robot)";

    /// <summary>Stores the token; storing the same hash again replaces the earlier record.</summary>
    public override async Task StoreRefreshTokenAsync(RefreshTokenRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        await DeleteRefreshTokenAsync(connection, transaction, record.TokenHash, cancellationToken);

        await using (var insert = CreateCommand(connection, InsertRefreshTokenSql, transaction))
        {
            insert.Parameters.AddWithValue("@token_hash", record.TokenHash);
            insert.Parameters.AddWithValue("@issuer", record.Issuer);
            insert.Parameters.AddWithValue("@subject", record.Subject);
            insert.Parameters.AddWithValue("@robots_fingerprint", record.RobotsFingerprint);
            insert.Parameters.AddWithValue("@created_at", record.CreatedAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("@expires_at", record.ExpiresAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("@permissions", record.PermissionsJson);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var robots = CreateCommand(connection, InsertRefreshTokenRobotSql, transaction))
        {
            robots.Parameters.AddWithValue("@token_hash", record.TokenHash);
            var position = robots.Parameters.Add("@position", SqliteType.Integer);
            var robot = robots.Parameters.Add("@robot", SqliteType.Text);
            for (var i = 0; i < record.Robots.Count; i++)
            {
                position.Value = i;
                robot.Value = record.Robots[i];
                await robots.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public override async Task<bool> DeleteRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        var deleted = await DeleteRefreshTokenAsync(connection, transaction, tokenHash, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static async Task<bool> DeleteRefreshTokenAsync(SqliteConnection connection, SqliteTransaction transaction, string tokenHash, CancellationToken cancellationToken)
    {
        await using (var robots = CreateCommand(connection, DeleteRefreshTokenRobotsSql, transaction))
        {
            robots.Parameters.AddWithValue("@token_hash", tokenHash);
            await robots.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var token = CreateCommand(connection, DeleteRefreshTokenSql, transaction);
        token.Parameters.AddWithValue("@token_hash", tokenHash);
        return await token.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
