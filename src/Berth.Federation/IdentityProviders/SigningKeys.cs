using Microsoft.IdentityModel.Tokens;

namespace Berth.Federation.IdentityProviders;

/// <summary>Reads a JWKS and keeps only keys that may verify workload tokens: RSA or EC, for signing.</summary>
internal static class SigningKeys
{
    /// <summary>Parses a JWKS document; throws <see cref="ArgumentException"/> when it is not one.</summary>
    public static IReadOnlyList<JsonWebKey> Parse(string json)
    {
        var set = new JsonWebKeySet(json);
        return Filter(set.Keys);
    }

    public static IReadOnlyList<JsonWebKey> Filter(IEnumerable<JsonWebKey> keys) =>
        keys.Where(IsUsable).ToList();

    private static bool IsUsable(JsonWebKey key)
    {
        // Symmetric ("oct") keys are never trusted: HMAC tokens are refused outright.
        if (!string.IsNullOrEmpty(key.Use) && key.Use != JsonWebKeyUseNames.Sig)
        {
            return false;
        }

        return key.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.RSA => (!string.IsNullOrEmpty(key.N) && !string.IsNullOrEmpty(key.E)) || key.X5c.Count > 0,
            JsonWebAlgorithmsKeyTypes.EllipticCurve => !string.IsNullOrEmpty(key.Crv) && !string.IsNullOrEmpty(key.X) && !string.IsNullOrEmpty(key.Y),
            _ => false,
        };
    }
}
