using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Access.Tokens;

/// <summary>
/// An ES256 (EC P-256) key that signs registry tokens. Its <see cref="KeyId"/> is the RFC 7638 JWK
/// thumbprint of the public key (base64url SHA-256), which distribution 3.x looks up directly.
/// </summary>
public sealed class RegistrySigningKey : IDisposable
{
    /// <summary>The file <see cref="LoadOrCreateAsync"/> keeps in its directory.</summary>
    public const string FileName = "registry-signing-key.pem";

    private readonly ECDsa _ecdsa;

    private RegistrySigningKey(ECDsa ecdsa)
    {
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            ecdsa.Dispose();
            throw new CryptographicException("The registry signing key must be an EC P-256 key (ES256).");
        }

        _ecdsa = ecdsa;
        PublicJwk = new JsonWebKey
        {
            Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
            Crv = JsonWebKeyECTypes.P256,
            X = Base64UrlEncoder.Encode(parameters.Q.X),
            Y = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
        KeyId = Base64UrlEncoder.Encode(PublicJwk.ComputeJwkThumbprint());
        PublicJwk.Kid = KeyId;
        PublicJwk.Use = JsonWebKeyUseNames.Sig;
        PublicJwk.Alg = SecurityAlgorithms.EcdsaSha256;
        SecurityKey = new ECDsaSecurityKey(_ecdsa) { KeyId = KeyId };
    }

    /// <summary>RFC 7638 thumbprint of the public key, used as the JWT header <c>kid</c>.</summary>
    public string KeyId { get; }

    /// <summary>The private key, for signing.</summary>
    internal ECDsaSecurityKey SecurityKey { get; }

    /// <summary>The public key as a JWK (<c>kty crv x y kid use alg</c>, never <c>d</c>).</summary>
    internal JsonWebKey PublicJwk { get; }

    /// <summary>A fresh random key (tests, ephemeral setups).</summary>
    public static RegistrySigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Reads a PEM private key (<c>EC PRIVATE KEY</c> or PKCS#8 <c>PRIVATE KEY</c>).</summary>
    public static RegistrySigningKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }

        return new RegistrySigningKey(ecdsa);
    }

    /// <summary>Reads a PEM private key file (configured key).</summary>
    public static async Task<RegistrySigningKey> LoadPemFileAsync(string path, CancellationToken cancellationToken)
    {
        var pem = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return FromPem(pem);
    }

    /// <summary>
    /// Loads <c>registry-signing-key.pem</c> from <paramref name="directory"/>, or generates a key and writes
    /// it there with mode 0600 on first start. The write goes to a temporary file that is then moved into
    /// place without overwriting, so replicas racing on a shared directory all end with the same key.
    /// </summary>
    public static async Task<RegistrySigningKey> LoadOrCreateAsync(string directory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            return await LoadPemFileAsync(path, cancellationToken).ConfigureAwait(false);
        }

        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var temporary = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
            try
            {
                await WritePrivateFileAsync(temporary, ecdsa.ExportPkcs8PrivateKeyPem(), cancellationToken).ConfigureAwait(false);
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another replica won the race: use its key.
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        return await LoadPemFileAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _ecdsa.Dispose();

    private static async Task WritePrivateFileAsync(string path, string content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new StreamWriter(stream);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteAsync(content.AsMemory(), cancellationToken).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
        }
    }
}
