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
    /// synchronous = NORMAL is durable across process crashes in WAL mode and much faster than FULL;
    /// wal_autocheckpoint = 16384 pages (64 MiB at 4 KiB): the <see cref="SqliteCheckpointer"/> copies
    /// the WAL every second, so a request's commit checkpoints only if that thread fell far behind
    /// (SQLite's default, 1,000 pages, made requests pay for the fsync of the database file).
    /// </summary>
    private const string ConnectionPragmas =
        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384;";

    private readonly string _connectionString;
    private readonly Lazy<SqliteCheckpointer>? _checkpointer;

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
        IsInMemory = DatabasePath == ":memory:" || DatabasePath.StartsWith("file::memory:", StringComparison.Ordinal);
        // An in-memory database has no WAL to copy; a file's checkpointer starts with its first write.
        _checkpointer = IsInMemory ? null : new Lazy<SqliteCheckpointer>(() => new SqliteCheckpointer(_connectionString));
    }

    public override string ConnectionString => _connectionString;

    /// <summary>The file (or in-memory name) the connection string names.</summary>
    public string DatabasePath { get; }

    public TimeProvider Time { get; }

    /// <summary>Whether the database lives in memory only (tests), with no file and no WAL.</summary>
    public bool IsInMemory { get; }

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
            _checkpointer?.Value.MarkWritten();
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
            Close();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// DbDataSource.DisposeAsync calls Dispose(false) after this, so without it the host's container (which
    /// disposes asynchronously) left the pool and the checkpointer running after the registry stopped.
    /// </summary>
    protected override ValueTask DisposeAsyncCore()
    {
        Close();
        return base.DisposeAsyncCore();
    }

    private void Close()
    {
        // First the checkpointer's connection, so the pool's last connection to close can fold the
        // WAL into the file and remove it.
        if (_checkpointer is { IsValueCreated: true })
        {
            _checkpointer.Value.Dispose();
        }

        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
