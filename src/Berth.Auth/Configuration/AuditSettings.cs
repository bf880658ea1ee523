namespace Berth.Configuration;

/// <summary>The <c>audit</c> section: how long audit entries are kept.</summary>
public sealed record AuditSettings
{
    /// <summary>Entries older than this are deleted in the background; <c>00:00:00</c> keeps them forever.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(90);

    /// <summary>How often the purge runs.</summary>
    public TimeSpan PurgeInterval { get; init; } = TimeSpan.FromHours(1);
}
