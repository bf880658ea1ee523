namespace Berth.Configuration;

/// <summary>
/// TLS served by Berth itself (<c>server.tls</c>): PEM files as cert-manager and certbot write them,
/// re-read when they change. Both keys set turns TLS on; neither leaves plain HTTP.
/// </summary>
public sealed record TlsSettings
{
    /// <summary>PEM certificate chain: the server certificate first, then its intermediates (RSA or ECDSA).</summary>
    public string? CertificateFile { get; init; }

    /// <summary>PEM private key of the first certificate (PKCS#8, PKCS#1 or SEC1, unencrypted).</summary>
    public string? KeyFile { get; init; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificateFile) || !string.IsNullOrWhiteSpace(KeyFile);
}
