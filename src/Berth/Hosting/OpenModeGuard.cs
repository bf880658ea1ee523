using System.Net;
using Berth.Auth;
using Berth.Configuration;

namespace Berth.Hosting;

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

    /// <summary>
    /// For <c>--check-config</c>, which opens no store: before the first start the file's objects are all
    /// there is, so open mode can be judged now; once a metadata store exists, objects made through the
    /// admin API count too, and the check at start-up judges.
    /// </summary>
    public static void CheckBeforeFirstStart(BerthSettings settings)
    {
        // A PostgreSQL database may already hold objects of other replicas; without connecting, only start-up can tell.
        if (!settings.Storage.UsesPostgres
            && !File.Exists(Path.Combine(Path.GetFullPath(settings.Storage.DataDir), MetadataStoreRegistration.MetadataFileName)))
        {
            Check(settings, FederationSetup.Build(settings));
        }
    }
}
