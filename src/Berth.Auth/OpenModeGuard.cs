using System.Net;
using Berth.Configuration;

namespace Berth.Auth;

/// <summary>Open mode (no credentials at all) is for a laptop: refused on a reachable address unless asked for.</summary>
internal static class OpenModeGuard
{
    /// <summary>Open mode is allowed on a loopback address, or anywhere with <c>--insecure-open</c>.</summary>
    public static bool IsAllowed(BerthSettings settings) =>
        settings.Server.InsecureOpen || IPAddress.IsLoopback(ListenEndpoint.Parse(settings.Server.Listen).Address);

    /// <param name="federation">The federation after the objects made through the admin API are loaded: they count too.</param>
    public static void Check(BerthSettings settings, FederationModel federation)
    {
        if (federation.IsOpen && !IsAllowed(settings))
        {
            throw new ConfigurationException(
                $"refusing to serve {settings.Server.Listen} in open mode: with no identityProviders and no robots anyone could push and delete. " +
                "Configure authentication, listen on 127.0.0.1, or pass --insecure-open (server.insecureOpen: true) if you really mean it");
        }
    }
}
