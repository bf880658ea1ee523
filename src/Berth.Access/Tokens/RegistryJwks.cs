using System.Text;
using System.Text.Json;

namespace Berth.Access.Tokens;

/// <summary>
/// The registry's public keys as a JWKS document, served at <c>/service/jwks.json</c> so other registries
/// (distribution 3.x <c>auth.token.jwks</c>) can trust Berth's tokens. Only public members are written.
/// </summary>
public static class RegistryJwks
{
    public static string ToJson(IEnumerable<RegistrySigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in keys)
            {
                var jwk = key.PublicJwk;
                writer.WriteStartObject();
                writer.WriteString("kty", jwk.Kty);
                writer.WriteString("crv", jwk.Crv);
                writer.WriteString("x", jwk.X);
                writer.WriteString("y", jwk.Y);
                writer.WriteString("kid", jwk.Kid);
                writer.WriteString("use", jwk.Use);
                writer.WriteString("alg", jwk.Alg);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
