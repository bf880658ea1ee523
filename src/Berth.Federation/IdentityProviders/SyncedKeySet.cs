using System.Text.Json;

namespace Berth.Federation.IdentityProviders;

/// <summary>
/// Checks a JWKS sent to replace an identity provider's static keys: a JSON Web Key Set of public keys
/// only, with at least one key that can verify workload tokens. Private key material is refused rather
/// than stripped: whoever sent it has a leak to fix, and Berth must never store it.
/// </summary>
public static class SyncedKeySet
{
    /// <summary>Larger than any real cluster's key set (a few keys of a few hundred bytes each).</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    /// <returns>The kids of the usable signing keys, or the problem.</returns>
    public static (IReadOnlyList<string>? Kids, string? Problem) Check(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxBytes)
        {
            return (null, $"the JWKS is larger than {MaxBytes} bytes");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                return (null, "the body is not a JWKS document: expected {\"keys\": [...]}");
            }

            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind == JsonValueKind.Object && PrivateMembers.FirstOrDefault(m => key.TryGetProperty(m, out _)) is { } member)
                {
                    return (null, $"the JWKS holds private key material ('{member}'): send only the public keys, e.g. kubectl get --raw /openid/v1/jwks");
                }
            }

            var usable = SigningKeys.Parse(json);
            return usable.Count == 0
                ? (null, "the JWKS has no RSA or EC signing key")
                : (usable.Select(k => k.Kid ?? string.Empty).ToList(), null);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            return (null, $"the body is not a JWKS document: {e.Message}");
        }
    }
}
