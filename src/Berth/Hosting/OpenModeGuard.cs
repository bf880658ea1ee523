using System.Net;
using Berth.Auth;
using Berth.Configuration;

namespace Berth.Hosting;

/// <summary>Open mode (no credentials at all) is for a laptop: refused on a reachable address unless asked for.</summary>
internal static class OpenModeGuard
{
    public static void Check(BerthSettings settings, FederationModel federation)
    {
        if (!federation.IsOpen || settings.Server.InsecureOpen)
        {
            return;
        }

        var endpoint = ListenEndpoint.Parse(settings.Server.Listen);
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new ConfigurationException(
                $"refusing to serve {settings.Server.Listen} in open mode: with no identityProviders and no robots anyone could push and delete. " +
                "Configure authentication, listen on 127.0.0.1, or pass --insecure-open (server.insecureOpen: true) if you really mean it");
        }
    }
}
