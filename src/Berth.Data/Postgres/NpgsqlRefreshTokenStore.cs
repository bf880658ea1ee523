using Berth.Access.Refresh;
using Berth.Data.Stores;
using Npgsql;
using NpgsqlTypes;
using static Berth.Data.Postgres.NpgsqlCommands;
using static Berth.Data.Schema.RefreshTokenSql;

namespace Berth.Data.Postgres;

/// <summary>
/// Hashed refresh tokens and the robots they are bound to (<see cref="IRefreshTokenStore"/>). Storing
/// upserts the token row first, which locks it, so two replicas storing the same hash replace the
/// robot list one after the other instead of colliding on the primary key.
/// </summary>
internal sealed class NpgsqlRefreshTokenStore(NpgsqlDataSource dataSource, PostgresDialect dialect) : RefreshTokenStore(dialect)
{
    private const string UpsertRefreshTokenSql =
        "INSERT INTO refresh_tokens (token_hash, issuer, subject, robots_fingerprint, created_at, expires_at, permissions) " +
        "VALUES (@token_hash, @issuer, @subject, @robots_fingerprint, @created_at, @expires_at, @permissions) " +
        "ON CONFLICT (token_hash) DO UPDATE SET issuer = excluded.issuer, subject = excluded.subject, " +
        "robots_fingerprint = excluded.robots_fingerprint, created_at = excluded.created_at, " +
        "expires_at = excluded.expires_at, permissions = excluded.permissions";

    /// <summary>Positions count from 0 in the caller's order, as in SQLite.</summary>
    private const string InsertRefreshTokenRobotsSql =
        "INSERT INTO refresh_token_robots (token_hash, position, robot) " +
        "SELECT @token_hash, (r.position - 1)::integer, r.robot FROM unnest(@robots) WITH ORDINALITY AS r (robot, position)";

    /// <summary>Stores the token; storing the same hash again replaces the earlier record.</summary>
    public override Task StoreRefreshTokenAsync(RefreshTokenRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return dataSource.InTransactionAsync(
            async (connection, transaction) =>
            {
                await using (var upsert = CreateCommand(connection, transaction, UpsertRefreshTokenSql))
                {
                    AddText(upsert, "@token_hash", record.TokenHash);
                    AddText(upsert, "@issuer", record.Issuer);
                    AddText(upsert, "@subject", record.Subject);
                    AddText(upsert, "@robots_fingerprint", record.RobotsFingerprint);
                    AddBigint(upsert, "@created_at", record.CreatedAt.ToUnixTimeMilliseconds());
                    AddBigint(upsert, "@expires_at", record.ExpiresAt.ToUnixTimeMilliseconds());
                    AddText(upsert, "@permissions", record.PermissionsJson);
                    await upsert.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var clear = CreateCommand(connection, transaction, DeleteRefreshTokenRobotsSql))
                {
                    AddText(clear, "@token_hash", record.TokenHash);
                    await clear.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var robots = CreateCommand(connection, transaction, InsertRefreshTokenRobotsSql);
                AddText(robots, "@token_hash", record.TokenHash);
                robots.Parameters.AddWithValue("@robots", NpgsqlDbType.Array | NpgsqlDbType.Text, record.Robots.ToArray());
                return await robots.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    public override async Task<bool> DeleteRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DeleteRefreshTokenSql);
        AddText(command, "@token_hash", tokenHash);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
