using Npgsql;

namespace Berth.Data.Tests.Postgres;

/// <summary>
/// A fresh database, private to one test, on the PostgreSQL server that <see cref="Variable"/> names;
/// dropped (connections and all) on dispose. ./test.sh starts a throwaway server and sets the variable.
/// </summary>
/// <remarks>
/// Without the variable the tests fail, loudly and with directions, rather than skip: a run that
/// silently left the PostgreSQL provider untested would look green. Leave them out on purpose with
/// <c>--filter "Category!=Postgres"</c>.
/// </remarks>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "BERTH_TEST_POSTGRES";

    public const string Category = "Postgres";

    private readonly string _server;

    private PostgresTestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The server's connection string with <c>Database</c> set to this database.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Creates the database with an ICU en-US default collation, where "B" sorts after "a": the store must
    /// compare ordinally (COLLATE "C") whatever the database's default, and this proves it does.
    /// </summary>
    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL tests have no server. ./test.sh starts a throwaway PostgreSQL and sets it; " +
                $"to run these tests alone, start one (e.g. apt-get install postgresql, then initdb and pg_ctl start as an unprivileged user) and " +
                $"export {Variable}='Host=127.0.0.1;Port=5432;Username=postgres;Password=…' (a user that may CREATE DATABASE); " +
                "to leave them out on purpose, pass --filter \"Category!=Postgres\".");
        }

        var database = new PostgresTestDatabase(server, "berth_test_" + Guid.NewGuid().ToString("N"));
        await database.ExecuteOnServerAsync(
            $"CREATE DATABASE {database.Name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
        return database;
    }

    public async ValueTask DisposeAsync() =>
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");

    /// <summary>One statement on this database, e.g. to look at the schema; returns the first column of every row.</summary>
    public async Task<List<object>> QueryAsync(string sql)
    {
        var values = new List<object>();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }

    /// <summary>Runs on the server's own database: a database cannot create or drop itself.</summary>
    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
