using System.Text.Json;
using Berth.Access.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Access.Tests.Tokens;

public sealed class RegistryJwksTests
{
    [Fact]
    public void ToJson_TwoKeys_PublishesBothPublicKeysOnly()
    {
        using var current = RegistrySigningKey.Generate();
        using var previous = RegistrySigningKey.Generate();

        var json = RegistryJwks.ToJson([current, previous]);

        using var document = JsonDocument.Parse(json);
        var keys = document.RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.Equal([current.KeyId, previous.KeyId], keys.Select(k => k.GetProperty("kid").GetString()));
        foreach (var key in keys)
        {
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.Equal("ES256", key.GetProperty("alg").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.False(key.TryGetProperty("d", out _));
        }
    }

    [Fact]
    public void ToJson_Document_IsReadableByIdentityModelWithMatchingThumbprint()
    {
        using var key = RegistrySigningKey.Generate();

        var set = new JsonWebKeySet(RegistryJwks.ToJson([key]));

        var jwk = Assert.Single(set.Keys);
        Assert.Equal(key.KeyId, jwk.Kid);
        Assert.Equal(key.KeyId, Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()));
        Assert.False(jwk.HasPrivateKey);
    }
}
