namespace Berth.Auth;

/// <summary>An identity, or why there is none: a reason code for the client and details for the audit log only.</summary>
internal sealed record AuthResult(CallerIdentity? Identity, string? Reason = null, string? Message = null, string? ClaimedIssuer = null, string? ClaimedSubject = null, string? ClaimedTokenId = null)
{
    public const string InvalidCredentials = "invalid_credentials";
    public const string NoRobotMatched = Berth.Federation.Tokens.TokenRejectionReasons.NoRobotMatched;
    public const string RefreshTokenInvalid = "refresh_token_invalid";
    public const string RefreshTokenRevoked = "refresh_token_revoked";
    public const string RobotDisabled = "robot_disabled";
    public const string TokenExpired = "token_expired";

    public static AuthResult Success(CallerIdentity identity) => new(identity);

    public static AuthResult Failure(string reason, string message, string? issuer = null, string? subject = null, string? tokenId = null) =>
        new(null, reason, message, issuer, subject, tokenId);
}
