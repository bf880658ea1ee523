using Berth.Access.Admin;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.AdminCredentialSql;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>The bootstrap administrator's password hash and admin API tokens (<see cref="IAdminCredentialStore"/>).</summary>
internal sealed class SqliteAdminCredentialStore(SqliteDataSource database) : IAdminCredentialStore
{
    private const string InsertSettingIfMissingSql =
        "INSERT INTO admin_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING";

    public async Task<string?> GetAdminPasswordHashAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        return await ReadSettingAsync(connection, AdminPasswordKey, cancellationToken);
    }

    public async Task<string> SetAdminPasswordHashIfMissingAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using (var insert = CreateCommand(connection, InsertSettingIfMissingSql))
        {
            insert.Parameters.AddWithValue("@name", AdminPasswordKey);
            insert.Parameters.AddWithValue("@value", hash);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return (await ReadSettingAsync(connection, AdminPasswordKey, cancellationToken))!;
    }

    public async Task SetAdminPasswordHashAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var upsert = CreateCommand(connection, UpsertSettingSql);
        upsert.Parameters.AddWithValue("@name", AdminPasswordKey);
        upsert.Parameters.AddWithValue("@value", hash);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> CreateAdminTokenAsync(AdminTokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var insert = CreateCommand(connection, InsertAdminTokenSql);
        insert.Parameters.AddWithValue("@name", token.Name);
        insert.Parameters.AddWithValue("@token_hash", token.TokenHash);
        insert.Parameters.AddWithValue("@created_at", token.CreatedAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("@expires_at", token.ExpiresAt is { } expires ? expires.ToUnixTimeMilliseconds() : DBNull.Value);
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
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var delete = CreateCommand(connection, "DELETE FROM admin_tokens WHERE name = @name");
        delete.Parameters.AddWithValue("@name", name);
        return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task<IReadOnlyList<AdminTokenRecord>> QueryAdminTokensAsync(string sql, string? tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, sql);
        if (tokenHash is not null)
        {
            command.Parameters.AddWithValue("@token_hash", tokenHash);
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

    private static async Task<string?> ReadSettingAsync(SqliteConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, GetSettingSql);
        command.Parameters.AddWithValue("@name", name);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
