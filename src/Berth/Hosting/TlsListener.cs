using System.Net.Security;
using System.Security.Authentication;
using Berth.Configuration;
using Berth.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Berth.Hosting;

/// <summary>
/// TLS on the listener when <c>server.tls</c> is set: Kestrel's own handshake (SslStream), TLS 1.2 and 1.3
/// only, HTTP/2 and HTTP/1.1 offered through ALPN, and the certificate asked of <see cref="ServerCertificate"/>
/// per connection so a rotated file is served without a restart.
/// </summary>
internal static class TlsListener
{
    public static void Configure(ListenOptions listen, TlsSettings tls, IServiceProvider services)
    {
        if (!tls.Enabled)
        {
            return;
        }

        var certificate = services.GetRequiredService<ServerCertificate>();
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificate.Current,
                // A resumed session skips the certificate: after a rotation, clients would go on trusting the
                // old one for as long as their tickets live. A registry's clients open few connections.
                AllowTlsResume = false,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            }),
        });
    }
}
