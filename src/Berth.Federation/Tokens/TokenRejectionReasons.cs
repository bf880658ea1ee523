namespace Berth.Federation.Tokens;

/// <summary>
/// The reason codes a refused workload token carries. They reach the client in the 401 body, so they
/// say what is wrong with the token, never which robot rule failed.
/// </summary>
public static class TokenRejectionReasons
{
    /// <summary>Not a compact JWS: wrong segment count, bad base64url, JSON that is not an object, duplicate claims, a <c>crit</c> header, wrongly typed claims.</summary>
    public const string MalformedToken = "malformed_token";

    /// <summary>Longer than the identity provider's <c>maxTokenBytes</c>.</summary>
    public const string TokenTooLarge = "token_too_large";

    /// <summary><c>alg</c> is not an asymmetric signature algorithm (RS*, PS*, ES*): <c>none</c>, HMAC and anything else.</summary>
    public const string AlgorithmNotAllowed = "algorithm_not_allowed";

    /// <summary><c>iss</c> is not a configured identity provider (nothing is fetched for it).</summary>
    public const string UnknownIssuer = "unknown_issuer";

    /// <summary>No key of the identity provider has the token's <c>kid</c> after one refresh, or the provider's keys are unavailable or too stale.</summary>
    public const string UnknownKey = "unknown_key";

    /// <summary>The signature does not verify with the identity provider's keys.</summary>
    public const string SignatureInvalid = "signature_invalid";

    /// <summary><c>exp</c> is in the past (beyond the clock skew).</summary>
    public const string TokenExpired = "token_expired";

    /// <summary><c>aud</c> is missing or names none of the identity provider's audiences.</summary>
    public const string AudienceMismatch = "audience_mismatch";

    /// <summary>Added: <c>nbf</c> or <c>iat</c> is in the future (beyond the clock skew).</summary>
    public const string TokenNotYetValid = "token_not_yet_valid";

    /// <summary>Added: <c>exp - iat</c> (or <c>exp - now</c> without <c>iat</c>) exceeds the identity provider's <c>maxTokenLifetime</c>.</summary>
    public const string LifetimeTooLong = "lifetime_too_long";

    /// <summary>Added: a required claim (<c>iss</c>, <c>sub</c>, <c>exp</c>) is absent.</summary>
    public const string MissingClaim = "missing_claim";

    /// <summary>
    /// The token is valid but no robot of its identity provider matched it. Not a validator verdict:
    /// <see cref="Robots.WorkloadLogin"/> gives it after matching, for the token service and explain alike.
    /// </summary>
    public const string NoRobotMatched = "no_robot_matched";
}
