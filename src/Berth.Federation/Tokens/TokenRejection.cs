namespace Berth.Federation.Tokens;

/// <summary>
/// Why a workload token was refused. <see cref="Reason"/> is one of <see cref="TokenRejectionReasons"/>;
/// <see cref="Message"/> is a human sentence safe to show the caller. The claimed values are read from the
/// unverified token when it could be parsed, for the audit log only: they prove nothing.
/// </summary>
public sealed record TokenRejection(
    string Reason,
    string Message,
    string? ClaimedIssuer = null,
    string? ClaimedSubject = null,
    string? ClaimedJti = null);
