using Berth.Access.Audit;
using Npgsql;
using NpgsqlTypes;
using static Berth.Data.Postgres.NpgsqlCommands;
using static Berth.Data.Schema.AuditSql;
using static Berth.Data.Schema.Rows;

namespace Berth.Data.Postgres;

/// <summary>
/// The audit trail (<see cref="IAuditLog"/>): newest first, paged by id, filtered on indexed columns.
/// </summary>
/// <remarks>
/// Readers page with <c>id &lt; before</c>, which is only complete if ids become visible in id order.
/// A sequence alone does not promise that (replica A may take id 8, replica B id 9 and commit first, and
/// a reader would page past 8 for good), so appends hold an advisory lock from taking their ids to
/// their commit: appends queue, as behind SQLite's single writer, while reads never wait. (An advisory
/// lock rather than LOCK TABLE, which would also queue behind an anti-wraparound VACUUM.) Each replica's
/// audit writer appends in batches, so the queue holds about one short transaction per replica.
/// </remarks>
internal sealed class NpgsqlAuditLog(NpgsqlDataSource dataSource) : IAuditLog
{
    /// <summary>
    /// One statement inserts a whole batch and its robots rows: the entries arrive as one array per column,
    /// are inserted in their order (so ids follow it), and each inserted row's robots are split into
    /// audit_robots as <c>Rows.SplitRobots</c> splits them (trimmed, no empty names, once each).
    /// </summary>
    /// <remarks>
    /// It was one statement per entry, each with its own parse, plan and executor start in PostgreSQL: under
    /// a manifest GET load every pull is an entry, and the database spent more CPU on the audit rows than
    /// Berth on the requests (bench/RESULTS.md, issue 15).
    /// </remarks>
    private const string InsertAuditBatchSql =
        "WITH entry AS (" +
        "INSERT INTO audit_log (occurred_at, kind, outcome, issuer, subject, token_id, robots, repository, reference, digest, client_ip, reason, unverified) " +
        "SELECT occurred_at, kind, outcome, issuer, subject, token_id, robots, repository, reference, digest, client_ip, reason, unverified " +
        "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::integer[]) " +
        "WITH ORDINALITY AS e (occurred_at, kind, outcome, issuer, subject, token_id, robots, repository, reference, digest, client_ip, reason, unverified, position) " +
        "ORDER BY position RETURNING id, robots) " +
        "INSERT INTO audit_robots (robot, audit_id) " +
        "SELECT DISTINCT btrim(r.robot, E' \\t\\r\\n'), entry.id FROM entry, unnest(string_to_array(entry.robots, ',')) AS r (robot) " +
        "WHERE btrim(r.robot, E' \\t\\r\\n') <> '' " +
        "ON CONFLICT (robot, audit_id) DO NOTHING";

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AppendBatchAsync([entry], cancellationToken);
    }

    /// <summary>All entries in one transaction and one round trip, in order.</summary>
    public Task AppendBatchAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        return dataSource.InTransactionAsync(
            async (connection, transaction) =>
            {
                await using var batch = new NpgsqlBatch(connection, transaction);
                var acquire = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)");
                acquire.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = AdvisoryLocks.AuditAppend });
                batch.BatchCommands.Add(acquire);
                batch.BatchCommands.Add(InsertAuditBatchCommand(entries));
                return await batch.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>Deletes entries older than <paramref name="cutoff"/>, a slice per transaction.</summary>
    public async Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var deleted = await dataSource.InTransactionAsync(
                async (connection, transaction) =>
                {
                    await using var robots = CreateCommand(connection, transaction, PurgeRobotsSliceSql);
                    await using var entries = CreateCommand(connection, transaction, PurgeEntriesSliceSql);
                    foreach (var command in new[] { robots, entries })
                    {
                        command.Parameters.AddWithValue("@cutoff", NpgsqlDbType.Bigint, cutoff.ToUnixTimeMilliseconds());
                        command.Parameters.AddWithValue("@slice", NpgsqlDbType.Integer, PurgeSlice);
                    }

                    await robots.ExecuteNonQueryAsync(cancellationToken);
                    return await entries.ExecuteNonQueryAsync(cancellationToken);
                },
                cancellationToken);
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

        await using var command = dataSource.CreateCommand(string.Empty);
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
        await using var command = dataSource.CreateCommand(string.Empty);
        var where = Where(query, command, paged: false);
        command.CommandText = CountByHourSelect + where + CountByHourGroup + ";" + CountRefusedByReasonSelect + where + CountRefusedByReasonGroup;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadAuditCountsAsync(reader, cancellationToken);
    }


    private static NpgsqlBatchCommand InsertAuditBatchCommand(IReadOnlyList<AuditEntry> uncapped)
    {
        var entries = uncapped.Select(e => e.Capped()).ToList();
        var command = new NpgsqlBatchCommand(InsertAuditBatchSql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = entries.Select(e => e.At.ToUnixTimeMilliseconds()).ToArray() });
        foreach (var column in new Func<AuditEntry, string?>[] { e => e.Kind, e => e.Outcome, e => e.Issuer, e => e.Subject, e => e.TokenId, e => e.Robots, e => e.Repository, e => e.Reference, e => e.Digest, e => e.ClientIp, e => e.Reason })
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = entries.Select(column).ToArray() });
        }

        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = entries.Select(e => e.Unverified ? 1 : 0).ToArray() });
        return command;
    }
}
