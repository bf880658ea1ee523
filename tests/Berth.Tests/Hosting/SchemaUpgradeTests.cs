using Berth.Data.Sqlite;
using Berth.Tests.Cli;
using Microsoft.Data.Sqlite;

namespace Berth.Tests.Hosting;

/// <summary>
/// Upgrades on the SQLite default: <c>serve --check-config</c> reports what the next start migrates, and a
/// binary older than the database's schema refuses to start in one line instead of touching it.
/// </summary>
public sealed class SchemaUpgradeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("berth-schema-").FullName;

    private string DataDir => Path.Combine(folder, "data");

    private string DatabasePath => Path.Combine(DataDir, "metadata.db");

    [Fact]
    public async Task CheckConfig_NewDataFolder_ReportsEveryMigrationPendingAndCreatesNothing()
    {
        var run = await BerthProcess.RunAsync(null, "serve", "--data", DataDir, "--check-config");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("metadata schema: new database", run.Output, StringComparison.Ordinal);
        Assert.Contains("1 initial", run.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task CheckConfig_DatabaseOfAnOlderBerth_ListsThePendingMigrationsWithoutApplyingThem()
    {
        await MigrateAsync();
        await ExecuteAsync("DELETE FROM schema_migrations WHERE version > 3");

        var run = await BerthProcess.RunAsync(null, "serve", "--data", DataDir, "--check-config");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("metadata schema: version 3 of ", run.Output, StringComparison.Ordinal);
        Assert.Contains("4 admin documents revision, 5 garbage collection", run.Output, StringComparison.Ordinal);
        Assert.Equal(3L, await ScalarAsync("SELECT MAX(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task CheckConfig_CurrentDatabase_SaysUpToDate()
    {
        await MigrateAsync();

        var run = await BerthProcess.RunAsync(null, "serve", "--data", DataDir, "--check-config");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("metadata schema: up to date", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_SchemaFromANewerBerth_FailsNamingBothVersions()
    {
        await MigrateAsync();
        await ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)");

        var run = await BerthProcess.RunAsync(null, "serve", "--data", DataDir, "--check-config");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("has schema version 999, newer than this Berth knows", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_SchemaFromANewerBerth_RefusesInOneLineAndLeavesTheDatabaseAlone()
    {
        await MigrateAsync();
        await ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)");

        var run = await BerthProcess.RunAsync(null, "serve", "--listen", "127.0.0.1:0", "--data", DataDir);

        SchemaAssert.RefusedInOneLine(run, $"berth: the metadata database {DatabasePath} has schema version 999, newer than this Berth knows");
        Assert.Equal(999L, await ScalarAsync("SELECT MAX(version) FROM schema_migrations"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private async Task MigrateAsync()
    {
        await using var stores = SqliteMetadata.Open(DatabasePath, TimeProvider.System);
        await stores.Lifecycle.MigrateAsync(CancellationToken.None);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
