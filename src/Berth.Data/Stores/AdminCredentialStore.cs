using Berth.Access.Admin;
using static Berth.Data.Schema.AdminCredentialSql;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>
/// The bootstrap administrator's password hash and admin API tokens (<see cref="IAdminCredentialStore"/>),
/// one statement each and the same on every provider; token names and hashes are unique in the database.
/// A provider's subclass decides "first writer wins" for the password hash its own way.
/// </summary>
internal abstract class AdminCredentialStore(ProviderDialect dialect) : IAdminCredentialStore
{
    public abstract Task<string> SetAdminPasswordHashIfMissingAsync(string hash, CancellationToken cancellationToken);

    public async Task<string?> GetAdminPasswordHashAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, GetSettingSql);
        AddText(command, "@name", AdminPasswordKey);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SetAdminPasswordHashAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var upsert = CreateCommand(connection, UpsertSettingSql);
        AddText(upsert, "@name", AdminPasswordKey);
        AddText(upsert, "@value", hash);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> CreateAdminTokenAsync(AdminTokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var insert = CreateCommand(connection, InsertAdminTokenSql);
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
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var delete = CreateCommand(connection, "DELETE FROM admin_tokens WHERE name = @name");
        AddText(delete, "@name", name);
        return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task<IReadOnlyList<AdminTokenRecord>> QueryAdminTokensAsync(string sql, string? tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, sql);
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
