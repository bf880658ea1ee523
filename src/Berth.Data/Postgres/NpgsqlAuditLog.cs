using System.Text;
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
    /// <summary>One statement per entry inserts it and its robots rows (positional parameters, for batching).</summary>
    private const string InsertAuditSql =
        "WITH entry AS (" +
        "INSERT INTO audit_log (occurred_at, kind, outcome, issuer, subject, token_id, robots, repository, reference, digest, client_ip, reason, unverified) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14) RETURNING id) " +
        "INSERT INTO audit_robots (robot, audit_id) SELECT r.robot, entry.id FROM entry, unnest($13::text[]) AS r (robot) " +
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
                foreach (var entry in entries)
                {
                    batch.BatchCommands.Add(InsertAuditCommand(entry.Capped()));
                }

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

    /// <summary>The query's filters as a WHERE condition, their parameters added to <paramref name="command"/>.</summary>
    private static string Where(AuditQuery query, NpgsqlCommand command, bool paged)
    {
        var sql = new StringBuilder("1 = 1");
        void Filter(string condition, string parameter, NpgsqlDbType type, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                command.Parameters.AddWithValue(parameter, type, value);
            }
        }

        Filter("occurred_at >= @from", "@from", NpgsqlDbType.Bigint, query.From?.ToUnixTimeMilliseconds());
        Filter("occurred_at <= @to", "@to", NpgsqlDbType.Bigint, query.To?.ToUnixTimeMilliseconds());
        Filter("id IN (SELECT audit_id FROM audit_robots WHERE robot = @robot)", "@robot", NpgsqlDbType.Text, query.Robot);
        Filter("issuer = @issuer", "@issuer", NpgsqlDbType.Text, query.Issuer);
        Filter("subject = @subject", "@subject", NpgsqlDbType.Text, query.Subject);
        Filter("repository = @repository", "@repository", NpgsqlDbType.Text, query.Repository);
        Filter("outcome = @outcome", "@outcome", NpgsqlDbType.Text, query.Outcome);
        Filter("kind = @kind", "@kind", NpgsqlDbType.Text, query.Kind);
        Filter("reason = @reason", "@reason", NpgsqlDbType.Text, query.Reason);
        Filter("id < @before_id", "@before_id", NpgsqlDbType.Bigint, paged ? query.BeforeId : null);
        return sql.ToString();
    }

    private static NpgsqlBatchCommand InsertAuditCommand(AuditEntry entry)
    {
        var command = new NpgsqlBatchCommand(InsertAuditSql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = entry.At.ToUnixTimeMilliseconds() });
        foreach (var text in new[] { entry.Kind, entry.Outcome, entry.Issuer, entry.Subject, entry.TokenId, entry.Robots, entry.Repository, entry.Reference, entry.Digest, entry.ClientIp, entry.Reason })
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = text is null ? DBNull.Value : text });
        }

        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = SplitRobots(entry.Robots).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = entry.Unverified ? 1 : 0 });
        return command;
    }
}
