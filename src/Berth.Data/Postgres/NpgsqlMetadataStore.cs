using Berth.Access.Audit;
using Berth.Access.Refresh;
using Berth.Registry.Metadata;
using Npgsql;
using NpgsqlTypes;
using static Berth.Data.Schema.Rows;

namespace Berth.Data.Postgres;

/// <summary>
/// The metadata store for several replicas: the same schema and semantics as the SQLite store, on a
/// PostgreSQL database shared by every Berth process. Call <see cref="MigrateAsync"/> once before first use.
/// </summary>
/// <remarks>
/// SQLite has one writer at a time, so its store may read-then-write freely; here every replica
/// writes at once under READ COMMITTED. Each write is therefore one atomic statement (ON CONFLICT,
/// compare-and-set UPDATE) or a short transaction that takes its row or table lock first; the partial
/// files say per store which. Connections come from one <see cref="NpgsqlDataSource"/> (Npgsql's pool).
/// </remarks>
public sealed partial class NpgsqlMetadataStore :
    IRepositoryStore,
    IBlobLinkStore,
    IManifestStore,
    IUploadSessionStore,
    IMetadataStoreLifecycle,
    IRefreshTokenStore,
    IAuditLog,
    IGcCandidateStore,
    IGcCoordinationStore,
    IAsyncDisposable,
    IDisposable
{
    /// <summary>Attempts of a transaction that PostgreSQL aborted as a deadlock victim or serialization failure.</summary>
    private const int TransactionAttempts = 3;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;

    private NpgsqlMetadataStore(NpgsqlDataSource dataSource, string target, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        Target = target;
        _timeProvider = timeProvider;
    }

    /// <summary>Where the store points, for messages and logs: host, port, database and user, never the password.</summary>
    public string Target { get; }

    /// <summary>A store on the database an Npgsql connection string names (<c>Host=…;Database=…;Username=…;Password=…</c>).</summary>
    /// <exception cref="ArgumentException">The connection string is malformed; the message never repeats it.</exception>
    public static NpgsqlMetadataStore Create(string connectionString, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionString.Parse(connectionString).ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            // Shows up in pg_stat_activity, so an operator can tell Berth's sessions apart.
            builder.ConnectionStringBuilder.ApplicationName = "berth";
        }

        return new NpgsqlMetadataStore(builder.Build(), PostgresConnectionString.Describe(builder.ConnectionStringBuilder), timeProvider);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    /// <summary>A command on a pooled connection that opens for it and returns to the pool when it is disposed.</summary>
    private NpgsqlCommand CreateCommand(string sql) => _dataSource.CreateCommand(sql);

    private static NpgsqlCommand CreateCommand(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) =>
        new(sql, connection, transaction);

    /// <summary>
    /// Runs <paramref name="work"/> in one READ COMMITTED transaction and commits it. A transaction that
    /// PostgreSQL aborts to break a deadlock or a serialization conflict is rolled back and run again:
    /// nothing of it was applied, so running it again is safe.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException e) when (attempt < TransactionAttempts && IsRetryable(e))
            {
                await transaction.RollbackAsync(cancellationToken);
            }
        }
    }

    private static bool IsRetryable(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    private long NowMilliseconds() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A text parameter typed explicitly, so a null still tells PostgreSQL its type.</summary>
    private static void AddText(NpgsqlCommand command, string name, string? value) =>
        command.Parameters.AddWithValue(name, NpgsqlDbType.Text, value is null ? DBNull.Value : value);

    private static void AddBigint(NpgsqlCommand command, string name, long? value) =>
        command.Parameters.AddWithValue(name, NpgsqlDbType.Bigint, value is { } v ? v : DBNull.Value);

    private static void ThrowIfNegative(int limit, string name)
    {
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(name, limit, "limit must not be negative");
        }
    }
}
