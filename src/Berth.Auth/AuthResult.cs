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

    /// <summary>The claimed issuer, subject and jti come from a token whose signature or validity was not established.</summary>
    public bool ClaimsUnverified { get; init; }

    /// <summary>
    /// What the (unauthenticated) caller is told. Reason codes and messages about the caller's own token
    /// pass through; messages that would reveal configuration do not: which robot names exist (one text for
    /// an unknown robot and a wrong secret), identity provider names and key-fetch errors (internal URLs).
    /// Those stay in <see cref="Message"/>, for the audit log and the server log.
    /// </summary>
    public string? CallerMessage => Reason switch
    {
        InvalidCredentials => "the password is neither a workload token (JWT) nor the secret of the robot named as username",
        Berth.Federation.Tokens.TokenRejectionReasons.UnknownKey => "no key of the token's issuer has the token's kid (or the issuer's keys cannot be used right now)",
        Berth.Federation.Tokens.TokenRejectionReasons.SignatureInvalid => "the token's signature does not verify with its issuer's keys",
        _ => Message,
    };

    /// <summary>The audit reason: the code, with the details the caller was not told.</summary>
    public string? AuditReason => CallerMessage == Message ? Reason : $"{Reason}: {Message}";

    public static AuthResult Failure(string reason, string message, string? issuer = null, string? subject = null, string? tokenId = null) =>
        new(null, reason, message, issuer, subject, tokenId);
}
