namespace Berth.Access.Audit;

/// <summary>
/// The outcomes an audit entry can have. A requested scope that a token exchange did not grant is
/// <see cref="Refused"/> too (kind pull, push or delete, reason <c>not_granted: …</c>), so one filter finds
/// every refusal.
/// </summary>
public static class AuditOutcomes
{
    public const string Accepted = "accepted";
    public const string Refused = "refused";

    public static IReadOnlyList<string> All { get; } = [Accepted, Refused];

    public static bool IsKnown(string outcome) => outcome is Accepted or Refused;

    /// <summary>The message for an outcome filter that can never match anything.</summary>
    public static string Unknown(string outcome) => $"outcome '{outcome}' is not known: use one of {string.Join(", ", All)}";
}
