using System.Buffers.Text;
using System.Text.Json;

namespace Berth.Federation.Tokens;

/// <summary>
/// A compact JWS split and decoded but not yet trusted. Parsing is strict: three base64url segments,
/// JSON objects without duplicate members, no <c>crit</c> header, string-typed <c>alg</c>/<c>kid</c>/<c>iss</c>/<c>sub</c>/<c>jti</c>.
/// </summary>
internal sealed class UnverifiedJwt
{
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    // Header values other than these mean the token is not a plain workload JWT (e.g. an access token, at+jwt).
    private static readonly HashSet<string> AcceptedTypes = new(StringComparer.OrdinalIgnoreCase) { "JWT", "application/jwt", "JOSE", "application/jose" };

    private UnverifiedJwt(JsonElement header, JsonElement payload, bool hasSignature)
    {
        Header = header;
        Payload = payload;
        HasSignature = hasSignature;
        Algorithm = header.GetProperty("alg").GetString()!;
        KeyId = OptionalString(header, "kid");
        Issuer = OptionalString(payload, "iss");
        Subject = OptionalString(payload, "sub");
        Jti = OptionalString(payload, "jti");
    }

    public JsonElement Header { get; }

    public JsonElement Payload { get; }

    public bool HasSignature { get; }

    public string Algorithm { get; }

    public string? KeyId { get; }

    public string? Issuer { get; }

    public string? Subject { get; }

    public string? Jti { get; }

    public static bool TryParse(string token, out UnverifiedJwt? jwt, out string? problem)
    {
        jwt = null;
        var segments = token.Split('.');
        if (segments.Length != 3)
        {
            problem = segments.Length == 5
                ? "encrypted tokens (JWE) are not supported"
                : $"a token has three dot-separated segments, this one has {segments.Length}";
            return false;
        }

        if (!TryDecodeObject(segments[0], "header", out var header, out problem)
            || !TryDecodeObject(segments[1], "payload", out var payload, out problem))
        {
            return false;
        }

        if (segments[2].Length > 0 && !IsBase64Url(segments[2]))
        {
            problem = "the signature segment is not base64url";
            return false;
        }

        problem = CheckHeader(header) ?? CheckPayload(payload);
        if (problem is not null)
        {
            return false;
        }

        jwt = new UnverifiedJwt(header, payload, segments[2].Length > 0);
        return true;
    }

    /// <summary>The payload of a token without any verification, for admins explaining a refused token.</summary>
    public static JsonElement? ReadPayload(string token) =>
        TryParse(token.Trim(), out var jwt, out _) ? jwt!.Payload : null;

    private static string? CheckHeader(JsonElement header)
    {
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            return "the header has no string alg";
        }

        if (header.TryGetProperty("crit", out _))
        {
            return "the header has a crit member; no critical extensions are supported";
        }

        if (header.TryGetProperty("typ", out var typ) && (typ.ValueKind != JsonValueKind.String || !AcceptedTypes.Contains(typ.GetString()!)))
        {
            return "the header typ is not JWT; only workload identity tokens are accepted";
        }

        return WrongType(header, "kid", JsonValueKind.String, "header");
    }

    private static string? CheckPayload(JsonElement payload) =>
        WrongType(payload, "iss", JsonValueKind.String, "payload")
        ?? WrongType(payload, "sub", JsonValueKind.String, "payload")
        ?? WrongType(payload, "jti", JsonValueKind.String, "payload")
        ?? WrongType(payload, "exp", JsonValueKind.Number, "payload")
        ?? WrongType(payload, "nbf", JsonValueKind.Number, "payload")
        ?? WrongType(payload, "iat", JsonValueKind.Number, "payload");

    private static string? WrongType(JsonElement element, string name, JsonValueKind kind, string where) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != kind
            ? $"the {where} member {name} must be a {(kind == JsonValueKind.Number ? "number" : "string")}"
            : null;

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryDecodeObject(string segment, string name, out JsonElement element, out string? problem)
    {
        element = default;
        if (segment.Length == 0 || !IsBase64Url(segment))
        {
            problem = $"the {name} segment is not base64url";
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException)
        {
            problem = $"the {name} segment is not base64url";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, StrictJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"the {name} is not a JSON object";
                return false;
            }

            element = document.RootElement.Clone();
            problem = null;
            return true;
        }
        catch (JsonException e)
        {
            problem = e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase)
                ? $"the {name} has duplicate members"
                : $"the {name} is not valid JSON";
            return false;
        }
    }

    private static bool IsBase64Url(string segment) =>
        segment.Length % 4 != 1 && segment.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');
}
