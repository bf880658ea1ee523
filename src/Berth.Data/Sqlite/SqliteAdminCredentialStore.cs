using Berth.Access.Admin;
using Berth.Data.Stores;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.AdminCredentialSql;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>The bootstrap administrator's password hash and admin API tokens (<see cref="IAdminCredentialStore"/>).</summary>
internal sealed class SqliteAdminCredentialStore(SqliteDataSource database, SqliteDialect dialect) : AdminCredentialStore(dialect)
{
    private const string InsertSettingIfMissingSql =
        "INSERT INTO admin_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING";

    public override async Task<string> SetAdminPasswordHashIfMissingAsync(string hash, CancellationToken cancellationToken)
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

    private static async Task<string?> ReadSettingAsync(SqliteConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, GetSettingSql);
        command.Parameters.AddWithValue("@name", name);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
