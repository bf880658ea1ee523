using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Configuration;

namespace Berth.Hosting;

/// <summary>
/// The certificate Kestrel presents, read from <c>server.tls</c>'s PEM files and read again when they change:
/// every TLS handshake compares the files' modification time and size (two stats, far cheaper than the
/// handshake) with those last loaded, so a rotation by cert-manager (a symlink swap) or certbot is served to
/// the next connection while open ones go on undisturbed. A half-written or mismatched pair keeps the
/// previous certificate in service and says so once.
/// </summary>
internal sealed class ServerCertificate
{
    private readonly TlsSettings tls;
    private readonly ILogger<ServerCertificate> logger;
    private readonly TimeProvider time;
    private readonly Lock reloading = new();
    private volatile Loaded current;
    private FileStamp refusedStamp;

    public ServerCertificate(BerthSettings settings, ILogger<ServerCertificate> logger, TimeProvider time)
    {
        tls = settings.Server.Tls;
        this.logger = logger;
        this.time = time;
        var stamp = FileStamp.Of(tls);
        current = new Loaded(Read(tls), stamp);
        WarnIfExpired(current.Certificate);
    }

    /// <summary>The certificate and chain for a new connection, reloaded first when the files changed.</summary>
    public SslStreamCertificateContext Current
    {
        get
        {
            var loaded = current;
            var stamp = FileStamp.Of(tls);
            if (stamp == loaded.Stamp)
            {
                return loaded.Context;
            }

            lock (reloading)
            {
                if (current.Stamp == stamp || refusedStamp == stamp)
                {
                    return current.Context;
                }

                try
                {
                    var context = Read(tls);
                    current = new Loaded(context, stamp);
                    logger.LogInformation(
                        "TLS certificate reloaded from {CertificateFile}: {Subject}, valid until {NotAfter:u}, thumbprint {Thumbprint}",
                        tls.CertificateFile, context.TargetCertificate.Subject, context.TargetCertificate.NotAfter.ToUniversalTime(), context.TargetCertificate.Thumbprint);
                    WarnIfExpired(current.Certificate);
                }
                catch (ConfigurationException e)
                {
                    // cert-manager and certbot write two files: between them the pair does not match yet.
                    refusedStamp = stamp;
                    logger.LogWarning("TLS files changed but cannot be used, the previous certificate stays in service: {Problem}", e.Message);
                }

                return current.Context;
            }
        }
    }

    /// <summary>Reads the chain and key; the first certificate of the file is the server's, the rest its intermediates.</summary>
    /// <exception cref="ConfigurationException">A file is missing, unreadable, not PEM, or the key is not the certificate's.</exception>
    public static SslStreamCertificateContext Read(TlsSettings tls)
    {
        var certificateFile = tls.CertificateFile!;
        var keyFile = tls.KeyFile!;
        X509Certificate2 leaf;
        var chain = new X509Certificate2Collection();
        try
        {
            leaf = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            chain.ImportFromPemFile(certificateFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"server.tls: cannot read {e.Message}");
        }
        catch (CryptographicException e)
        {
            throw new ConfigurationException(
                $"server.tls: {certificateFile} and {keyFile} are not a PEM certificate chain and its unencrypted PEM private key ({e.Message})");
        }

        if (chain.Count == 0 || !chain[0].RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
        {
            throw new ConfigurationException($"server.tls: the first certificate in {certificateFile} must be the server's own, followed by its intermediates");
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

    private sealed record Loaded(SslStreamCertificateContext Context, FileStamp Stamp)
    {
        public X509Certificate2 Certificate => Context.TargetCertificate;
    }

    /// <summary>What a rotation changes: both files' modification times and sizes (following symlinks, as a Kubernetes Secret volume swaps them).</summary>
    private readonly record struct FileStamp(DateTime CertificateWritten, long CertificateLength, DateTime KeyWritten, long KeyLength)
    {
        public static FileStamp Of(TlsSettings tls)
        {
            var certificate = new FileInfo(tls.CertificateFile!);
            var key = new FileInfo(tls.KeyFile!);
            return new FileStamp(
                certificate.Exists ? certificate.LastWriteTimeUtc : default,
                certificate.Exists ? certificate.Length : -1,
                key.Exists ? key.LastWriteTimeUtc : default,
                key.Exists ? key.Length : -1);
        }
    }
}
