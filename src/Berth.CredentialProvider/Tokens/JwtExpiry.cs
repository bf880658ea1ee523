using System.Buffers.Text;
using System.Text.Json;

namespace Berth.CredentialProvider.Tokens;

/// <summary>
/// Reads the <c>exp</c> claim of a compact JWS without verifying it: the plugin only needs to know
/// how long the kubelet may cache the credential. Berth verifies the signature when the token is used.
/// </summary>
internal static class JwtExpiry
{
    public static bool TryRead(string token, out DateTimeOffset expiresAt, out string error)
    {
        expiresAt = default;
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            error = "serviceAccountToken is not a JWT (expected three dot-separated base64url parts)";
            return false;
        }

        if (!TryDecodeObject(parts[0], out var header) || header.ValueKind != JsonValueKind.Object
            || !header.TryGetProperty("alg", out _))
        {
            error = "serviceAccountToken is not a JWT (its header is not a base64url JSON object with \"alg\")";
            return false;
        }

        if (!TryDecodeObject(parts[1], out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            error = "serviceAccountToken is not a JWT (its payload is not a base64url JSON object)";
            return false;
        }

        if (!payload.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number
            || !exp.TryGetDouble(out var seconds) || seconds < 0 || seconds > 253402300799)
        {
            error = "serviceAccountToken has no numeric exp claim";
            return false;
        }

        expiresAt = DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds));
        error = string.Empty;
        return true;
    }

    private static bool TryDecodeObject(string segment, out JsonElement element)
    {
        element = default;
        if (!Base64Url.IsValid(segment))
        {
            return false;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(segment);
            using var document = JsonDocument.Parse(bytes);
            element = document.RootElement.Clone();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
