using Berth.Access.Audit;
using Berth.Access.Refresh;
using Berth.Registry.Metadata;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.Rows;

namespace Berth.Data.Sqlite;

/// <summary>
/// The embedded metadata store: every registry and access fact in one SQLite file, in WAL mode so
/// readers never wait for the writer. Call <see cref="MigrateAsync"/> once before first use.
/// </summary>
/// <remarks>
/// Connections come from Microsoft.Data.Sqlite's pool; each write sets the per-connection pragmas
/// (foreign keys, busy timeout, synchronous = NORMAL) and reads go straight to their one query.
/// Write transactions start with <c>BEGIN IMMEDIATE</c> so concurrent writers queue on the busy
/// timeout instead of failing on a read-to-write lock upgrade. The implementation is split by
/// concern into partial files.
/// </remarks>
public sealed partial class SqliteMetadataStore :
    IRepositoryStore,
    IBlobLinkStore,
    IManifestStore,
    IUploadSessionStore,
    IMetadataStoreLifecycle,
    IRefreshTokenStore,
    IAuditLog,
    IGcCandidateStore,
    IGcCoordinationStore,
    IDisposable
{
    /// <summary>
    /// busy_timeout: how long a writer waits for the write lock (10 s) before SQLite reports busy;
    /// synchronous = NORMAL is durable across process crashes in WAL mode and much faster than FULL.
    /// </summary>
    private const string ConnectionPragmas =
        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

    private readonly string _connectionString;
    private readonly string _databasePath;
    private readonly TimeProvider _timeProvider;

    /// <summary>A store on the SQLite file at <paramref name="databasePath"/>, created by <see cref="MigrateAsync"/> when missing.</summary>
    public SqliteMetadataStore(string databasePath, TimeProvider timeProvider)
        : this(new SqliteConnectionStringBuilder { DataSource = databasePath }, timeProvider)
    {
    }

    private SqliteMetadataStore(SqliteConnectionStringBuilder builder, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(builder.DataSource);
        ArgumentNullException.ThrowIfNull(timeProvider);
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Cache = SqliteCacheMode.Private;
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        _connectionString = builder.ToString();
        _databasePath = builder.DataSource;
        _timeProvider = timeProvider;
    }

    /// <summary>A store from a Microsoft.Data.Sqlite connection string (<c>Data Source=…</c>); pooling and mode are forced.</summary>
    public static SqliteMetadataStore FromConnectionString(string connectionString, TimeProvider timeProvider) =>
        new(new SqliteConnectionStringBuilder(connectionString), timeProvider);

    /// <summary>Closes the pooled connections so the database file can be moved or deleted.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>
    /// A pooled connection for one read. Reads need none of the write pragmas, so the hot paths
    /// (resolve a tag, stat a blob) pay for one statement only; WAL readers never wait for the writer.
    /// </summary>
    private async Task<SqliteConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
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
    private async Task<SqliteConnection> OpenWriteAsync(CancellationToken cancellationToken)
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

    /// <summary>Starts a write transaction with <c>BEGIN IMMEDIATE</c>: the write lock is taken (or waited for) up front.</summary>
    private static SqliteTransaction BeginWrite(SqliteConnection connection) =>
        connection.BeginTransaction(deferred: false);

    private static SqliteCommand CreateCommand(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private long NowMilliseconds() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private static object OrNull(string? value) => value is null ? DBNull.Value : value;

    private static void ThrowIfNegative(int limit, string name)
    {
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(name, limit, "limit must not be negative");
        }
    }
}
