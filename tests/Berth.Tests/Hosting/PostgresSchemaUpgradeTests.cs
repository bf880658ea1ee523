using Berth.Data.Postgres;
using Berth.Data.Tests.Postgres;
using Berth.Tests.Cli;

namespace Berth.Tests.Hosting;

/// <summary>The same upgrade checks on PostgreSQL, where replicas of different versions may share one database.</summary>
[Trait("Category", PostgresTestDatabase.Category)]
public sealed class PostgresSchemaUpgradeTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("berth-pg-schema-").FullName;
    private PostgresTestDatabase database = null!;

    private Dictionary<string, string> Environment => new()
    {
        ["BERTH_STORAGE__METADATA"] = "postgres",
        ["BERTH_STORAGE__POSTGRES__CONNECTIONSTRING"] = database.ConnectionString,
    };

    public async Task InitializeAsync()
    {
        database = await PostgresTestDatabase.CreateAsync();
        await using var stores = NpgsqlMetadata.Create(database.ConnectionString, TimeProvider.System);
        await stores.Lifecycle.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task CheckConfig_DatabaseOfAnOlderBerth_ListsThePendingMigrations()
    {
        await database.QueryAsync("DELETE FROM schema_migrations WHERE version > 3");

        var run = await BerthProcess.RunWithEnvironmentAsync(Environment, null, "serve", "--data", folder, "--check-config");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("metadata schema: version 3 of ", run.Output, StringComparison.Ordinal);
        Assert.Contains("4 admin documents revision, 5 garbage collection", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_SchemaFromANewerBerth_RefusesInOneLineNamingTheDatabaseNotThePassword()
    {
        await database.QueryAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)");

        var run = await BerthProcess.RunWithEnvironmentAsync(Environment, null, "serve", "--listen", "127.0.0.1:0", "--data", folder);

        SchemaAssert.RefusedInOneLine(run, "berth: the metadata database ");
        Assert.Contains($"/{database.Name} has schema version 999, newer than this Berth knows", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", run.Output + run.Error, StringComparison.OrdinalIgnoreCase);
    }
}
