using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Berth.Data.Sqlite;

/// <summary>
/// The connections of one SQLite file, shared by every SQLite store class. The file is in WAL mode so
/// readers never wait for the writer.
/// </summary>
/// <remarks>
/// Connections come from Microsoft.Data.Sqlite's pool; each write sets the per-connection pragmas
/// (foreign keys, busy timeout, synchronous = NORMAL) and reads go straight to their one query.
/// Write transactions start with <c>BEGIN IMMEDIATE</c> (<see cref="SqliteCommands.BeginWrite"/>) so
/// concurrent writers queue on the busy timeout instead of failing on a read-to-write lock upgrade:
/// SQLite has one writer at a time, and that is what serializes every store's writes.
/// </remarks>
internal sealed class SqliteDataSource : DbDataSource
{
    /// <summary>
    /// busy_timeout: how long a writer waits for the write lock (10 s) before SQLite reports busy;
    /// synchronous = NORMAL is durable across process crashes in WAL mode and much faster than FULL.
    /// </summary>
    private const string ConnectionPragmas =
        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

    private readonly string _connectionString;

    public SqliteDataSource(SqliteConnectionStringBuilder builder, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(builder.DataSource);
        ArgumentNullException.ThrowIfNull(timeProvider);
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Cache = SqliteCacheMode.Private;
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        _connectionString = builder.ToString();
        DatabasePath = builder.DataSource;
        Time = timeProvider;
    }

    public override string ConnectionString => _connectionString;

    /// <summary>The file (or in-memory name) the connection string names.</summary>
    public string DatabasePath { get; }

    public TimeProvider Time { get; }

    public long NowMilliseconds() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// A pooled connection for one read. Reads need none of the write pragmas, so the hot paths
    /// (resolve a tag, stat a blob) pay for one statement only; WAL readers never wait for the writer.
    /// </summary>
    public async Task<SqliteConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            MetadataMetrics.TrackLease(connection, "sqlite");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A pooled connection for writing. Pragmas are per connection and a pooled connection may be
    /// fresh, so they are set on every write open (they cost no I/O).
    /// </summary>
    public async Task<SqliteConnection> OpenWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenReadAsync(cancellationToken);
        try
        {
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = ConnectionPragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override DbConnection CreateDbConnection() => new SqliteConnection(_connectionString);

    /// <summary>Closes the pooled connections so the database file can be moved or deleted.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }

        base.Dispose(disposing);
    }
}
