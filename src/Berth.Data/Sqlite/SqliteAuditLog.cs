using Berth.Access.Audit;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.AuditSql;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>The audit trail (<see cref="IAuditLog"/>): newest first, paged by id, filtered on indexed columns.</summary>
internal sealed class SqliteAuditLog(SqliteDataSource database) : IAuditLog
{
    private const string InsertAuditSql =
        "INSERT INTO audit_log (occurred_at, kind, outcome, issuer, subject, token_id, robots, repository, reference, digest, client_ip, reason, unverified) " +
        "VALUES (@occurred_at, @kind, @outcome, @issuer, @subject, @token_id, @robots, @repository, @reference, @digest, @client_ip, @reason, @unverified)";

    private const string InsertAuditRobotSql =
        "INSERT INTO audit_robots (robot, audit_id) VALUES (@robot, @audit_id) ON CONFLICT (robot, audit_id) DO NOTHING";

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AppendBatchAsync([entry], cancellationToken);
    }

    /// <summary>All entries in one transaction: the audit writer drains its queue this way, so a busy registry pays one commit per batch.</summary>
    public async Task AppendBatchAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using (var memory = CreateCommand(connection, "PRAGMA temp_store = MEMORY;"))
        {
            await memory.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await AppendInTransactionAsync(connection, entries, cancellationToken);
        }
        finally
        {
            await using var reset = CreateCommand(connection, "PRAGMA temp_store = DEFAULT;");
            await reset.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Each audit insert may abort half-way (NOT NULL, the AUTOINCREMENT counter, the robots' foreign
    /// key), so SQLite keeps a statement journal of every page it touches; on a file that was one 4 KiB
    /// write per page, ~25 KB of writes per entry under the token bench (strace). The journal only has to
    /// outlive one statement, so the batch runs with temp_store = MEMORY, set before the transaction
    /// begins (SQLite decides where statement journals live then) and put back afterwards because the
    /// connection returns to the pool. The database and its WAL are written exactly as before.
    /// </summary>
    private static async Task AppendInTransactionAsync(SqliteConnection connection, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        await using var transaction = BeginWrite(connection);
        await using var insert = CreateCommand(connection, InsertAuditSql, transaction);
        await using var link = CreateCommand(connection, InsertAuditRobotSql, transaction);
        var auditId = link.Parameters.Add("@audit_id", SqliteType.Integer);
        var robot = link.Parameters.Add("@robot", SqliteType.Text);

        // Parameters made once per batch and only their values set per entry: the writer inserts
        // thousands of entries a second under load, one per token exchange and per pull.
        var occurredAt = insert.Parameters.Add("@occurred_at", SqliteType.Integer);
        var kind = insert.Parameters.Add("@kind", SqliteType.Text);
        var outcome = insert.Parameters.Add("@outcome", SqliteType.Text);
        var issuer = insert.Parameters.Add("@issuer", SqliteType.Text);
        var subject = insert.Parameters.Add("@subject", SqliteType.Text);
        var tokenId = insert.Parameters.Add("@token_id", SqliteType.Text);
        var robots = insert.Parameters.Add("@robots", SqliteType.Text);
        var repository = insert.Parameters.Add("@repository", SqliteType.Text);
        var reference = insert.Parameters.Add("@reference", SqliteType.Text);
        var digest = insert.Parameters.Add("@digest", SqliteType.Text);
        var clientIp = insert.Parameters.Add("@client_ip", SqliteType.Text);
        var reason = insert.Parameters.Add("@reason", SqliteType.Text);
        var unverified = insert.Parameters.Add("@unverified", SqliteType.Integer);
        foreach (var uncapped in entries)
        {
            var entry = uncapped.Capped();
            occurredAt.Value = entry.At.ToUnixTimeMilliseconds();
            kind.Value = entry.Kind;
            outcome.Value = entry.Outcome;
            issuer.Value = OrNull(entry.Issuer);
            subject.Value = OrNull(entry.Subject);
            tokenId.Value = OrNull(entry.TokenId);
            robots.Value = OrNull(entry.Robots);
            repository.Value = OrNull(entry.Repository);
            reference.Value = OrNull(entry.Reference);
            digest.Value = OrNull(entry.Digest);
            clientIp.Value = OrNull(entry.ClientIp);
            reason.Value = OrNull(entry.Reason);
            unverified.Value = entry.Unverified ? 1 : 0;
            // last_insert_rowid instead of RETURNING id: RETURNING builds an ephemeral table and a data
            // reader per row, ~5 of the ~14 µs an entry cost (Release, batches of 256). The connection
            // is this batch's alone, and the robot links are inserted only after the id is read.
            await insert.ExecuteNonQueryAsync(cancellationToken);
            var id = SQLitePCL.raw.sqlite3_last_insert_rowid(connection.Handle);

            auditId.Value = id;
            foreach (var name in SplitRobots(entry.Robots))
            {
                robot.Value = name;
                await link.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Deletes entries older than <paramref name="cutoff"/>, a slice per transaction.</summary>
    public async Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var connection = await database.OpenWriteAsync(cancellationToken);
            await using var transaction = BeginWrite(connection);
            await using var command = CreateCommand(connection, PurgeRobotsSliceSql + ";" + PurgeEntriesSliceSql, transaction);
            command.Parameters.AddWithValue("@cutoff", cutoff.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("@slice", PurgeSlice);
            await command.ExecuteNonQueryAsync(cancellationToken);
            var deleted = (int)SQLitePCL.raw.sqlite3_changes(connection.Handle);
            await transaction.CommitAsync(cancellationToken);
            total += deleted;
            if (deleted < PurgeSlice)
            {
                return total;
            }
        }
    }

    /// <summary>Entries matching every given filter, newest first; <c>From</c> and <c>To</c> are inclusive.</summary>
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfNegative(query.Limit, nameof(query));
        if (query.Limit == 0)
        {
            return [];
        }

        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = Where(query, command, paged: true);
        command.CommandText = $"SELECT {AuditColumns} FROM audit_log WHERE {where} ORDER BY id DESC LIMIT @limit";
        command.Parameters.AddWithValue("@limit", query.Limit);

        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadAuditEntry(reader));
        }

        return entries;
    }

    public async Task<AuditCounts> CountAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = Where(query, command, paged: false);
        command.CommandText = CountByHourSelect + where + CountByHourGroup + ";" + CountRefusedByReasonSelect + where + CountRefusedByReasonGroup;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadAuditCountsAsync(reader, cancellationToken);
    }
}
