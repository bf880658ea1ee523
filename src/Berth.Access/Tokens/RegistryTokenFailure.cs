namespace Berth.Access.Tokens;

/// <summary>
/// Reason codes for a refused registry token, in the words of DESIGN.md's error table (plus
/// <see cref="TypeNotAllowed"/> for a JWT that is not a registry token, e.g. a workload token sent as Bearer).
/// </summary>
public static class RegistryTokenFailure
{
    public const string MalformedToken = "malformed_token";
    public const string TokenTooLarge = "token_too_large";
    public const string AlgorithmNotAllowed = "algorithm_not_allowed";
    public const string TypeNotAllowed = "token_type_not_allowed";
    public const string UnknownIssuer = "unknown_issuer";
    public const string UnknownKey = "unknown_key";
    public const string SignatureInvalid = "signature_invalid";
    public const string TokenExpired = "token_expired";
    public const string TokenNotYetValid = "token_not_yet_valid";
    public const string AudienceMismatch = "audience_mismatch";
}
