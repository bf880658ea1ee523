namespace Berth.Access.Audit;

/// <summary>The audit trail in the metadata store.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Appends several entries atomically (one transaction), in order.</summary>
    Task AppendBatchAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Counts every entry matching <paramref name="query"/>'s filters (its paging, <c>BeforeId</c> and
    /// <c>Limit</c>, is ignored) in the database, per hour and outcome and the refused ones per reason: the
    /// audit summary of a busy week without reading its entries.
    /// </summary>
    Task<AuditCounts> CountAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes every entry that happened before <paramref name="cutoff"/> (audit retention).</summary>
    /// <returns>How many entries were deleted.</returns>
    Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
