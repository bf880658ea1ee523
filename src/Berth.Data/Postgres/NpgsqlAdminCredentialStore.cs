using Berth.Access.Admin;
using Npgsql;
using static Berth.Data.Schema.AdminCredentialSql;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Postgres.NpgsqlCommands;

namespace Berth.Data.Postgres;

/// <summary>
/// The bootstrap administrator's password hash and admin API tokens (<see cref="IAdminCredentialStore"/>).
/// "First writer wins" is one statement that inserts and returns the hash in effect, so two replicas
/// bootstrapping at once agree on one hash; token names and hashes are unique in the database.
/// </summary>
internal sealed class NpgsqlAdminCredentialStore(NpgsqlDataSource dataSource) : IAdminCredentialStore
{
    /// <summary>
    /// Returns the value only when this statement inserted it. A concurrent inserter of the same name
    /// makes it wait for that commit and then do nothing; the caller then reads the winner's row with a
    /// new statement, whose snapshot sees it.
    /// </summary>
    private const string InsertSettingIfMissingSql =
        "WITH inserted AS (INSERT INTO admin_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING RETURNING value) " +
        "SELECT value FROM inserted";

    public async Task<string?> GetAdminPasswordHashAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(GetSettingSql);
        AddText(command, "@name", AdminPasswordKey);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<string> SetAdminPasswordHashIfMissingAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        await using (var insert = dataSource.CreateCommand(InsertSettingIfMissingSql))
        {
            AddText(insert, "@name", AdminPasswordKey);
            AddText(insert, "@value", hash);
            if (await insert.ExecuteScalarAsync(cancellationToken) is string inserted)
            {
                return inserted;
            }
        }

        // Another writer's row was there first; this later statement sees it committed.
        return await GetAdminPasswordHashAsync(cancellationToken)
            ?? throw new InvalidOperationException("the administrator password hash was deleted while being set");
    }

    public async Task SetAdminPasswordHashAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        await using var upsert = dataSource.CreateCommand(UpsertSettingSql);
        AddText(upsert, "@name", AdminPasswordKey);
        AddText(upsert, "@value", hash);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> CreateAdminTokenAsync(AdminTokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var insert = dataSource.CreateCommand(InsertAdminTokenSql);
        AddText(insert, "@name", token.Name);
        AddText(insert, "@token_hash", token.TokenHash);
        AddBigint(insert, "@created_at", token.CreatedAt.ToUnixTimeMilliseconds());
        AddBigint(insert, "@expires_at", token.ExpiresAt?.ToUnixTimeMilliseconds());
        return await insert.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<AdminTokenRecord?> FindAdminTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var found = await QueryAdminTokensAsync($"SELECT {AdminTokenColumns} FROM admin_tokens WHERE token_hash = @token_hash", tokenHash, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<AdminTokenRecord>> ListAdminTokensAsync(CancellationToken cancellationToken) =>
        QueryAdminTokensAsync($"SELECT {AdminTokenColumns} FROM admin_tokens ORDER BY name", null, cancellationToken);

    public async Task<bool> DeleteAdminTokenAsync(string name, CancellationToken cancellationToken)
    {
        await using var delete = dataSource.CreateCommand("DELETE FROM admin_tokens WHERE name = @name");
        AddText(delete, "@name", name);
        return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task<IReadOnlyList<AdminTokenRecord>> QueryAdminTokensAsync(string sql, string? tokenHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        if (tokenHash is not null)
        {
            AddText(command, "@token_hash", tokenHash);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<AdminTokenRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new AdminTokenRecord(
                reader.GetString(0),
                reader.GetString(1),
                FromMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : FromMilliseconds(reader.GetInt64(3))));
        }

        return tokens;
    }
}
