namespace Berth.Access.Audit;

/// <summary>
/// What <see cref="IAuditLog.CountAsync"/> counts, in no particular order: entries per UTC hour and outcome,
/// and refused entries per reason (null: refused without one).
/// </summary>
public sealed record AuditCounts(IReadOnlyList<AuditHourCount> Hours, IReadOnlyList<AuditReasonCount> RefusedReasons);

/// <param name="Hour">The hour's start (UTC).</param>
public sealed record AuditHourCount(DateTimeOffset Hour, string Outcome, long Count);

public sealed record AuditReasonCount(string? Reason, long Count);
