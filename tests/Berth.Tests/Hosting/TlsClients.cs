using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Tests.Hosting;

/// <summary>HTTP clients that trust a <see cref="TestPki"/> root only and report the certificate each new connection saw.</summary>
internal sealed class TlsClients(TestPki pki)
{
    private readonly List<string> seen = [];

    /// <summary>The thumbprints of the server certificates of every TLS handshake so far, in order.</summary>
    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (seen)
            {
                return seen.ToList();
            }
        }
    }

    public HttpClient Create(Uri baseAddress, Version? version = null) => new(new SocketsHttpHandler
    {
        SslOptions =
        {
            // A resumed session shows the certificate of the session it resumes: see each new handshake's own.
            AllowTlsResume = false,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                var server = certificate as X509Certificate2;
                lock (seen)
                {
                    seen.Add(server?.Thumbprint ?? "(none)");
                }

                return pki.Validates(server, chain, errors);
            },
        },
    })
    {
        BaseAddress = baseAddress,
        DefaultRequestVersion = version ?? HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };
}
