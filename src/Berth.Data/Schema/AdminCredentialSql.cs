namespace Berth.Data.Schema;

/// <summary>The admin setting and token statements whose text is the same for every provider (binding and locking differ).</summary>
internal static class AdminCredentialSql
{
    public const string AdminPasswordKey =
        "admin_password_hash";

    public const string GetSettingSql =
        "SELECT value FROM admin_settings WHERE name = @name";

    public const string UpsertSettingSql =
        "INSERT INTO admin_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value";

    public const string AdminTokenColumns =
        "name, token_hash, created_at, expires_at";

    public const string InsertAdminTokenSql =
        "INSERT INTO admin_tokens (name, token_hash, created_at, expires_at) VALUES (@name, @token_hash, @created_at, @expires_at) " +
        "ON CONFLICT DO NOTHING";
}
