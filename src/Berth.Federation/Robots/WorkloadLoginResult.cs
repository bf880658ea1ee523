using System.Diagnostics.CodeAnalysis;
using Berth.Federation.Tokens;

namespace Berth.Federation.Robots;

/// <summary>
/// A validated token and the robots it matched, or why it is refused: a <see cref="TokenRejectionReasons"/>
/// code (<see cref="TokenRejectionReasons.NoRobotMatched"/> for a valid token no robot takes).
/// </summary>
/// <param name="Match">The robots matched; null when the token itself was refused.</param>
public sealed record WorkloadLoginResult(WorkloadTokenResult Validation, RobotMatchResult? Match)
{
    [MemberNotNullWhen(true, nameof(Match))]
    public bool Accepted => Validation.IsValid && Match is { Matched: true };

    /// <summary>The reason code when refused; null when accepted.</summary>
    public string? Reason => !Validation.IsValid ? Validation.Rejection.Reason : Match is { Matched: true } ? null : TokenRejectionReasons.NoRobotMatched;

    /// <summary>The sentence for the caller when refused: it never names a rule.</summary>
    public string? Message => !Validation.IsValid ? Validation.Rejection.Message : Match is { Matched: true } ? null : RobotMatchResult.NoMatchMessage;

    /// <summary>The issuer: verified when the token is valid, as claimed (proving nothing) otherwise.</summary>
    public string? Issuer => Validation.IsValid ? Validation.Token.Issuer : Validation.Rejection.ClaimedIssuer;

    public string? Subject => Validation.IsValid ? Validation.Token.Subject : Validation.Rejection.ClaimedSubject;

    public string? TokenId => Validation.IsValid ? Validation.Token.Jti : Validation.Rejection.ClaimedJti;
}
