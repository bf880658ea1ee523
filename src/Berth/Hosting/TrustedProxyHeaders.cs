using Berth.Configuration;
using Berth.Http;
using Microsoft.AspNetCore.HttpOverrides;

namespace Berth.Hosting;

/// <summary>
/// <c>server.trustedProxies</c> through ASP.NET Core's forwarded-headers middleware: only a peer inside those
/// networks may say who the client is (X-Forwarded-For), which scheme it used (X-Forwarded-Proto) and which
/// host it asked for (X-Forwarded-Host); the RFC 7239 <c>Forwarded</c> header is read the same way. Without
/// the key no header is believed, not even from loopback (the framework's default).
/// </summary>
internal static class TrustedProxyHeaders
{
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app, ServerSettings server)
    {
        var networks = TrustedProxies.Parse(server.TrustedProxies);
        if (networks.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            // A chain of trusted proxies (load balancer, then ingress) is walked from the right until the
            // first address outside the trusted networks: that one is the client.
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(network);
        }

        app.UseMiddleware<ForwardedHeaderTranslation>();
        return app.UseForwardedHeaders(options);
    }
}
