using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Tests.Hosting;

/// <summary>
/// A certificate authority for one test: a root, an intermediate under it, and server certificates the
/// intermediate signs, written as PEM files the way cert-manager and certbot leave them (chain file: server
/// certificate then intermediate; key file: PKCS#8). Clients trust the root only, so a server that does not
/// send its intermediate fails verification.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private readonly X509Certificate2 root;
    private readonly X509Certificate2 intermediate;
    private readonly ECDsa intermediateKey;

    private TestPki(string folder, string name)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest($"CN={name} root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest($"CN={name} intermediate", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var signed = intermediateRequest.Create(root, now.AddDays(-1), now.AddMonths(6), RandomNumberGenerator.GetBytes(12));
        intermediate = signed.CopyWithPrivateKey(intermediateKey);
        File.WriteAllText(CaFile, root.ExportCertificatePem() + "\n");
    }

    public string Folder { get; }

    /// <summary>The root certificate alone (PEM): what a client is given to trust, e.g. <c>certs.d/HOST:PORT/ca.crt</c>.</summary>
    public string CaFile => Path.Combine(Folder, "ca.crt");

    public X509Certificate2 Root => root;

    public static TestPki Create(string folder, string name = "berth test") => new(folder, name);

    /// <summary>A server certificate for 127.0.0.1 and localhost (or <paramref name="dnsName"/>) with its intermediate.</summary>
    public ServerFiles Issue(string fileName, bool rsa = false, string? dnsName = null, bool expired = false)
    {
        var now = DateTimeOffset.UtcNow;
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = $"CN={dnsName ?? "127.0.0.1"}";
        var request = key is RSA rsaKey
            ? new CertificateRequest(subject, rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (dnsName is null)
        {
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
        }
        else
        {
            names.AddDnsName(dnsName);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        var (notBefore, notAfter) = expired ? (now.AddDays(-30), now.AddDays(-1)) : (now.AddDays(-1), now.AddMonths(3));
        // The generator form signs an RSA key with the ECDSA intermediate too.
        using var certificate = request.Create(intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(intermediateKey), notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
        var files = new ServerFiles(Path.Combine(Folder, fileName + ".crt"), Path.Combine(Folder, fileName + ".key"), certificate.Thumbprint);
        File.WriteAllText(files.CertificateFile, certificate.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
        File.WriteAllText(files.KeyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        return files;
    }

    /// <summary>A TLS client callback that trusts this root only (and needs the server to send the intermediate).</summary>
    /// <param name="presented">The chain the TLS stack built from what the server sent.</param>
    public bool Validates(X509Certificate2? certificate, X509Chain? presented, System.Net.Security.SslPolicyErrors errors)
    {
        if (certificate is null || (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var element in presented?.ChainElements ?? (IEnumerable<X509ChainElement>)[])
        {
            if (!element.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate);
    }

    public void Dispose()
    {
        root.Dispose();
        intermediate.Dispose();
        intermediateKey.Dispose();
    }

    /// <summary>One server certificate's files and the thumbprint a client sees.</summary>
    public sealed record ServerFiles(string CertificateFile, string KeyFile, string Thumbprint);
}
