using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Federation.Tests.Support;

/// <summary>An RSA or EC signing key of a test identity provider, able to sign raw header/payload JSON.</summary>
internal sealed class TestKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private TestKey(string kid, RSA? rsa, ECDsa? ec)
    {
        Kid = kid;
        _rsa = rsa;
        _ec = ec;
    }

    public string Kid { get; }

    public string Algorithm => _rsa is not null ? "RS256" : "ES256";

    public static TestKey Rsa(string kid) => new(kid, RSA.Create(2048), null);

    public static TestKey Ec(string kid) => new(kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The public JWK, as an identity provider publishes it.</summary>
    public JsonObject PublicJwk()
    {
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            return new JsonObject { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = Kid, ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        }

        var q = _ec!.ExportParameters(false);
        return new JsonObject { ["kty"] = "EC", ["use"] = "sig", ["crv"] = "P-256", ["kid"] = Kid, ["x"] = B64(q.Q.X!), ["y"] = B64(q.Q.Y!) };
    }

    /// <summary>The RSA public key in DER (SubjectPublicKeyInfo), e.g. to abuse as an HMAC secret.</summary>
    public byte[] PublicKeyDer() => _rsa?.ExportSubjectPublicKeyInfo() ?? _ec!.ExportSubjectPublicKeyInfo();

    /// <summary>A self-signed certificate for this key, base64 DER as an <c>x5c</c> entry carries it.</summary>
    public string SelfSignedCertificate()
    {
        var request = _rsa is not null
            ? new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=attacker", _rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=attacker", _ec!, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return Convert.ToBase64String(certificate.RawData);
    }

    public static string Jwks(params TestKey[] keys) => new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.PublicJwk())]) }.ToJsonString();

    /// <summary>Signs a header (alg and kid added unless present) and payload, both given as JSON text.</summary>
    public string Sign(string payloadJson, JsonObject? header = null)
    {
        header ??= [];
        header.TryAdd("alg", Algorithm);
        header.TryAdd("typ", "JWT");
        header.TryAdd("kid", Kid);
        return SignRaw(header.ToJsonString(), payloadJson);
    }

    /// <summary>Signs exactly the given header and payload text with this key's algorithm.</summary>
    public string SignRaw(string headerJson, string payloadJson)
    {
        var input = B64(Encoding.UTF8.GetBytes(headerJson)) + "." + B64(Encoding.UTF8.GetBytes(payloadJson));
        var data = Encoding.ASCII.GetBytes(input);
        var signature = _rsa is not null
            ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ec!.SignData(data, HashAlgorithmName.SHA256);
        return input + "." + B64(signature);
    }

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }
}
