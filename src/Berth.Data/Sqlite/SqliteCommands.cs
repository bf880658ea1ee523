using Berth.Registry.Content;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.RepositorySql;

namespace Berth.Data.Sqlite;

/// <summary>Statement helpers every SQLite store class uses: commands, write transactions, IN lists, shared writes.</summary>
internal static class SqliteCommands
{
    /// <summary>Digests per IN list; far below SQLite's parameter limit.</summary>
    public const int InListChunk = 200;

    /// <summary>Tags and references go first and explicitly (the foreign keys cascade too), then the manifest row.</summary>
    private static readonly string[] DeleteManifestSql =
    [
        "DELETE FROM tags WHERE repository = @repository AND manifest_digest = @digest",
        "DELETE FROM manifest_references WHERE repository = @repository AND manifest_digest = @digest",
        "DELETE FROM manifests WHERE repository = @repository AND digest = @digest",
    ];

    /// <summary>Starts a write transaction with <c>BEGIN IMMEDIATE</c>: the write lock is taken (or waited for) up front.</summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection) =>
        connection.BeginTransaction(deferred: false);

    public static SqliteCommand CreateCommand(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static object OrNull(string? value) => value is null ? DBNull.Value : value;

    public static void ThrowIfNegative(int limit, string name)
    {
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(name, limit, "limit must not be negative");
        }
    }

    public static string InListParameters(int count) =>
        string.Join(", ", Enumerable.Range(0, count).Select(InListParameterName));

    public static string InListParameterName(int index) => $"@d{index}";

    /// <summary>
    /// The distinct digests, in the caller's order, that <paramref name="presentPrefix"/> (a
    /// <c>SELECT digest … IN (</c> query of one repository) does not find; queried in chunks.
    /// </summary>
    public static async Task<IReadOnlyList<Digest>> FindAbsentAsync(SqliteDataSource database, string presentPrefix, string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        var wanted = digests.Distinct().ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenReadAsync(cancellationToken);
        foreach (var chunk in wanted.Chunk(InListChunk))
        {
            await using var command = CreateCommand(connection, presentPrefix + InListParameters(chunk.Length) + ")");
            command.Parameters.AddWithValue("@repository", repository);
            for (var i = 0; i < chunk.Length; i++)
            {
                command.Parameters.AddWithValue(InListParameterName(i), chunk[i].ToString());
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }

        return wanted.Where(d => !present.Contains(d.ToString())).ToList();
    }

    /// <summary>The repository row, when missing, inside the caller's write transaction.</summary>
    public static async Task EnsureRepositoryAsync(SqliteConnection connection, SqliteTransaction transaction, string repository, long now, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, EnsureRepositorySql, transaction);
        command.Parameters.AddWithValue("@repository", repository);
        command.Parameters.AddWithValue("@now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes the manifest, its tags and references inside the caller's write transaction; false when the manifest row was not there.</summary>
    public static async Task<bool> DeleteManifestAsync(SqliteConnection connection, SqliteTransaction transaction, string repository, Digest digest, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var sql in DeleteManifestSql)
        {
            await using var command = CreateCommand(connection, sql, transaction);
            command.Parameters.AddWithValue("@repository", repository);
            command.Parameters.AddWithValue("@digest", digest.ToString());
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // The last statement removed the manifest row itself.
        return deleted > 0;
    }
}
