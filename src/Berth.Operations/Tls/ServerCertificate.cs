using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Configuration;

namespace Berth.Tls;

/// <summary>
/// The certificate Kestrel presents, read from <c>server.tls</c>'s PEM files and read again when they change:
/// every TLS handshake reads the two files (a few kilobytes from the page cache, far cheaper than the
/// handshake's signature) and compares them with those in service, so a rotation by cert-manager (a symlink
/// swap) or certbot is served to the next connection while open ones go on undisturbed. Contents, not
/// modification times: a copy that keeps times, or two writes within one kernel tick, still counts. A
/// half-written or mismatched pair keeps the previous certificate in service and says so once.
/// </summary>
internal sealed class ServerCertificate
{
    private readonly TlsSettings tls;
    private readonly ILogger<ServerCertificate> logger;
    private readonly TimeProvider time;
    private readonly Lock reloading = new();
    private volatile Loaded current;
    private Pem? refused;

    public ServerCertificate(BerthSettings settings, ILogger<ServerCertificate> logger, TimeProvider time)
    {
        tls = settings.Server.Tls;
        this.logger = logger;
        this.time = time;
        var pem = Pem.ReadFiles(tls);
        current = new Loaded(Create(tls, pem), pem);
        WarnIfExpired(current.Context.TargetCertificate);
    }

    /// <summary>The certificate and chain for a new connection, reloaded first when the files changed.</summary>
    public SslStreamCertificateContext Current
    {
        get
        {
            var loaded = current;
            Pem pem;
            try
            {
                pem = Pem.ReadFiles(tls);
            }
            catch (ConfigurationException)
            {
                // Mid-swap a file can be missing for an instant; the next handshake looks again.
                return loaded.Context;
            }

            if (pem.Equals(loaded.Pem))
            {
                return loaded.Context;
            }

            lock (reloading)
            {
                if (pem.Equals(current.Pem) || pem.Equals(refused))
                {
                    return current.Context;
                }

                try
                {
                    current = new Loaded(Create(tls, pem), pem);
                    var certificate = current.Context.TargetCertificate;
                    logger.LogInformation(
                        "TLS certificate reloaded from {CertificateFile}: {Subject}, valid until {NotAfter:u}, thumbprint {Thumbprint}",
                        tls.CertificateFile, certificate.Subject, certificate.NotAfter.ToUniversalTime(), certificate.Thumbprint);
                    WarnIfExpired(certificate);
                }
                catch (ConfigurationException e)
                {
                    // cert-manager and certbot write two files: between them the pair does not match yet.
                    refused = pem;
                    logger.LogWarning("TLS files changed but cannot be used, the previous certificate stays in service: {Problem}", e.Message);
                }

                return current.Context;
            }
        }
    }

    /// <summary>Reads the chain and key; the first certificate of the file is the server's, the rest its intermediates.</summary>
    /// <exception cref="ConfigurationException">A file is missing, unreadable, not PEM, or the key is not the certificate's.</exception>
    public static SslStreamCertificateContext Read(TlsSettings tls) => Create(tls, Pem.ReadFiles(tls));

    private static SslStreamCertificateContext Create(TlsSettings tls, Pem pem)
    {
        X509Certificate2 leaf;
        var chain = new X509Certificate2Collection();
        try
        {
            leaf = X509Certificate2.CreateFromPem(pem.Certificate, pem.Key);
            chain.ImportFromPem(pem.Certificate);
        }
        catch (ArgumentException e) when (e.ParamName == "privateKey")
        {
            throw new ConfigurationException($"server.tls: the key in {tls.KeyFile} is not the key of the first certificate in {tls.CertificateFile}");
        }
        catch (CryptographicException e)
        {
            throw new ConfigurationException(
                $"server.tls: {tls.CertificateFile} and {tls.KeyFile} are not a PEM certificate chain and its unencrypted PEM private key ({e.Message})");
        }

        if (chain.Count == 0 || !chain[0].RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
        {
            throw new ConfigurationException($"server.tls: the first certificate in {tls.CertificateFile} must be the server's own, followed by its intermediates");
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        // offline: the chain is what the file says; no AIA fetches from inside a handshake.
        return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }

    private void WarnIfExpired(X509Certificate2 certificate)
    {
        if (certificate.NotAfter.ToUniversalTime() < time.GetUtcNow().UtcDateTime)
        {
            logger.LogWarning("The TLS certificate in {CertificateFile} expired at {NotAfter:u}: clients will refuse it until it is renewed", tls.CertificateFile, certificate.NotAfter.ToUniversalTime());
        }
    }

    private sealed record Loaded(SslStreamCertificateContext Context, Pem Pem);

    /// <summary>The two files' text, as read for one handshake.</summary>
    private sealed record Pem(string Certificate, string Key)
    {
        public static Pem ReadFiles(TlsSettings tls)
        {
            try
            {
                return new Pem(File.ReadAllText(tls.CertificateFile!), File.ReadAllText(tls.KeyFile!));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"server.tls: cannot read {e.Message}");
            }
        }
    }
}
