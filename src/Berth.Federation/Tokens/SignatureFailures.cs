using Microsoft.IdentityModel.Tokens;

namespace Berth.Federation.Tokens;

/// <summary>Maps what IdentityModel reports to Berth's reason codes and messages that say nothing about keys.</summary>
internal static class SignatureFailures
{
    public static (string Reason, string Message) Map(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => (TokenRejectionReasons.TokenExpired, "the token has expired"),
        SecurityTokenNotYetValidException => (TokenRejectionReasons.TokenNotYetValid, "the token is not valid yet (nbf is in the future)"),
        SecurityTokenNoExpirationException => (TokenRejectionReasons.MissingClaim, "the token has no exp claim"),
        SecurityTokenInvalidLifetimeException => (TokenRejectionReasons.MalformedToken, "the token's nbf is after its exp"),
        SecurityTokenInvalidAudienceException => (TokenRejectionReasons.AudienceMismatch, "the token's aud names none of the identity provider's audiences"),
        SecurityTokenInvalidIssuerException => (TokenRejectionReasons.UnknownIssuer, "the token's iss is not the identity provider's issuer"),
        SecurityTokenInvalidAlgorithmException => (TokenRejectionReasons.AlgorithmNotAllowed, "the token's alg is not allowed"),
        SecurityTokenInvalidSignatureException => (TokenRejectionReasons.SignatureInvalid, "the token's signature does not verify with the identity provider's keys"),
        SecurityTokenMalformedException => (TokenRejectionReasons.MalformedToken, "the token is not a well-formed JWT"),
        _ => (TokenRejectionReasons.SignatureInvalid, "the token could not be verified"),
    };
}
