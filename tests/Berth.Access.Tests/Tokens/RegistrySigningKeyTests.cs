using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Access.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Access.Tests.Tokens;

public sealed class RegistrySigningKeyTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "berth-access-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void ComputeJwkThumbprint_Rfc7638Vector_MatchesTheRfc()
    {
        // RFC 7638 §3.1: the library's thumbprint is the one we publish as kid, so prove it on the RFC's own example.
        var jwk = new JsonWebKey
        {
            Kty = "RSA",
            E = "AQAB",
            N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            Kid = "2011-04-29",
            Alg = "RS256",
        };

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()));
    }

    [Fact]
    public void KeyId_EcKey_IsRfc7638ThumbprintOfCanonicalMembers()
    {
        using var key = RegistrySigningKey.Generate();
        var jwk = PublishedKey(key);

        // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
        var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{jwk.GetProperty("x").GetString()}\",\"y\":\"{jwk.GetProperty("y").GetString()}\"}}";
        var expected = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(expected, key.KeyId);
        Assert.Equal(43, key.KeyId.Length);
    }

    [Fact]
    public async Task LoadOrCreateAsync_EmptyDirectory_WritesPrivateFileWithMode0600()
    {
        using var key = await RegistrySigningKey.LoadOrCreateAsync(_directory, CancellationToken.None);

        var path = Path.Combine(_directory, RegistrySigningKey.FileName);
        Assert.True(File.Exists(path));
        Assert.Contains("PRIVATE KEY", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task LoadOrCreateAsync_AfterRestart_ReloadsTheSameKey()
    {
        string firstKid;
        using (var first = await RegistrySigningKey.LoadOrCreateAsync(_directory, CancellationToken.None))
        {
            firstKid = first.KeyId;
        }

        using var second = await RegistrySigningKey.LoadOrCreateAsync(_directory, CancellationToken.None);

        Assert.Equal(firstKid, second.KeyId);
    }

    [Fact]
    public async Task LoadOrCreateAsync_ConcurrentStarts_AgreeOnOneKey()
    {
        var keys = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => RegistrySigningKey.LoadOrCreateAsync(_directory, CancellationToken.None))));

        Assert.Single(keys.Select(k => k.KeyId).Distinct());
        Assert.Single(Directory.GetFiles(_directory));
        foreach (var key in keys)
        {
            key.Dispose();
        }
    }

    [Fact]
    public void FromPem_Sec1EcPrivateKey_IsAccepted()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var key = RegistrySigningKey.FromPem(ecdsa.ExportECPrivateKeyPem());

        using var same = RegistrySigningKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem());
        Assert.Equal(same.KeyId, key.KeyId);
    }

    [Fact]
    public void FromPem_P384Key_IsRefused()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<CryptographicException>(() => RegistrySigningKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem()));
    }

    [Fact]
    public async Task LoadPemFileAsync_ConfiguredKey_HasTheKeysThumbprint()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "configured.pem");
        using var original = RegistrySigningKey.Generate();
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await File.WriteAllTextAsync(path, ecdsa.ExportPkcs8PrivateKeyPem());

        using var fromFile = await RegistrySigningKey.LoadPemFileAsync(path, CancellationToken.None);

        using var fromPem = RegistrySigningKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem());
        Assert.Equal(fromPem.KeyId, fromFile.KeyId);
        Assert.NotEqual(original.KeyId, fromFile.KeyId);
    }

    private static JsonElement PublishedKey(RegistrySigningKey key)
    {
        using var document = JsonDocument.Parse(RegistryJwks.ToJson([key]));
        return document.RootElement.GetProperty("keys")[0].Clone();
    }
}
