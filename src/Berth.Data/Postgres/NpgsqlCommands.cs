using Berth.Registry.Content;
using Npgsql;
using NpgsqlTypes;
using static Berth.Data.Schema.RepositorySql;

namespace Berth.Data.Postgres;

/// <summary>
/// Statement helpers every PostgreSQL store class uses: typed parameters, retried transactions, the
/// locks and writes that more than one seam takes.
/// </summary>
internal static class NpgsqlCommands
{
    /// <summary>Attempts of a transaction that PostgreSQL aborted as a deadlock victim or serialization failure.</summary>
    private const int TransactionAttempts = 3;

    /// <summary>The exclusive row lock a manifest delete takes first; a push share-locks the row, so the two never interleave.</summary>
    public const string LockManifestSql =
        "SELECT 1 FROM manifests WHERE repository = @repository AND digest = @digest FOR UPDATE";

    /// <summary>After the row lock: tags and references explicitly (the foreign keys cascade too), then the manifest row.</summary>
    private static readonly string[] DeleteManifestSql =
    [
        "DELETE FROM tags WHERE repository = @repository AND manifest_digest = @digest",
        "DELETE FROM manifest_references WHERE repository = @repository AND manifest_digest = @digest",
        "DELETE FROM manifests WHERE repository = @repository AND digest = @digest",
    ];

    public static NpgsqlCommand CreateCommand(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) =>
        new(sql, connection, transaction);

    /// <summary>
    /// Runs <paramref name="work"/> in one READ COMMITTED transaction and commits it. A transaction that
    /// PostgreSQL aborts to break a deadlock or a serialization conflict is rolled back and run again:
    /// nothing of it was applied, so running it again is safe.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this NpgsqlDataSource dataSource, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            MetadataMetrics.TrackLease(connection, "postgres");
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

    public static long NowMilliseconds(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A text parameter typed explicitly, so a null still tells PostgreSQL its type.</summary>
    public static void AddText(NpgsqlCommand command, string name, string? value) =>
        command.Parameters.AddWithValue(name, NpgsqlDbType.Text, value is null ? DBNull.Value : value);

    public static void AddBigint(NpgsqlCommand command, string name, long? value) =>
        command.Parameters.AddWithValue(name, NpgsqlDbType.Bigint, value is { } v ? v : DBNull.Value);

    public static void ThrowIfNegative(int limit, string name)
    {
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(name, limit, "limit must not be negative");
        }
    }

    public static async Task<IReadOnlyList<string>> ReadStringsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>
    /// The distinct digests, in the caller's order, that <paramref name="presentSql"/> (a query of one
    /// repository's digests <c>= ANY (@digests)</c>) does not find. One array parameter, so one round trip
    /// however many digests an index manifest lists.
    /// </summary>
    public static async Task<IReadOnlyList<Digest>> FindAbsentAsync(NpgsqlDataSource dataSource, string presentSql, string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        var wanted = digests.Distinct().ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(presentSql);
        AddText(command, "@repository", repository);
        command.Parameters.AddWithValue("@digests", NpgsqlDbType.Array | NpgsqlDbType.Text, wanted.Select(d => d.ToString()).ToArray());
        var present = new HashSet<string>(await ReadStringsAsync(command, cancellationToken), StringComparer.Ordinal);
        return wanted.Where(d => !present.Contains(d.ToString())).ToList();
    }

    /// <summary>The repository row, when missing, inside the caller's transaction.</summary>
    public static async Task EnsureRepositoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string repository, long now, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, EnsureRepositorySql);
        AddText(command, "@repository", repository);
        AddBigint(command, "@now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Tags, references and the manifest row, inside the caller's transaction that holds the row lock.</summary>
    public static async Task DeleteManifestRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string repository, Digest digest, CancellationToken cancellationToken)
    {
        foreach (var sql in DeleteManifestSql)
        {
            await using var command = CreateCommand(connection, transaction, sql);
            AddText(command, "@repository", repository);
            AddText(command, "@digest", digest.ToString());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The digest's advisory lock until the transaction ends; a blob claim and a mount of the same digest
    /// take it. A hash collision only makes two digests wait for each other.
    /// </summary>
    public static async Task LockDigestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Digest digest, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, AdvisoryLocks.AcquireDigestSql);
        command.Parameters.AddWithValue("@class", NpgsqlDbType.Integer, AdvisoryLocks.BlobDigestClass);
        AddText(command, "@digest", digest.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static bool IsRetryable(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
