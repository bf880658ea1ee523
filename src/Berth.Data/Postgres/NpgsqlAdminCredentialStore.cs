using Berth.Access.Admin;
using Berth.Data.Stores;
using Npgsql;
using static Berth.Data.Postgres.NpgsqlCommands;
using static Berth.Data.Schema.AdminCredentialSql;

namespace Berth.Data.Postgres;

/// <summary>
/// The bootstrap administrator's password hash and admin API tokens (<see cref="IAdminCredentialStore"/>).
/// "First writer wins" is one statement that inserts and returns the hash in effect, so two replicas
/// bootstrapping at once agree on one hash; token names and hashes are unique in the database.
/// </summary>
internal sealed class NpgsqlAdminCredentialStore(NpgsqlDataSource dataSource, PostgresDialect dialect) : AdminCredentialStore(dialect)
{
    /// <summary>
    /// Returns the value only when this statement inserted it. A concurrent inserter of the same name
    /// makes it wait for that commit and then do nothing; the caller then reads the winner's row with a
    /// new statement, whose snapshot sees it.
    /// </summary>
    private const string InsertSettingIfMissingSql =
        "WITH inserted AS (INSERT INTO admin_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING RETURNING value) " +
        "SELECT value FROM inserted";

    public override async Task<string> SetAdminPasswordHashIfMissingAsync(string hash, CancellationToken cancellationToken)
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
}
