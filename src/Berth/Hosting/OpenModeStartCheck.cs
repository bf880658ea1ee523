using Berth.Auth;
using Berth.Configuration;

namespace Berth.Hosting;

/// <summary>The open-mode check of <c>--check-config</c> (<see cref="OpenModeGuard"/>), which opens no store.</summary>
internal static class OpenModeStartCheck
{
    /// <summary>
    /// Before the first start the file's objects are all there is, so open mode can be judged now; once a
    /// metadata store exists, objects made through the admin API count too, and the check at start-up judges.
    /// </summary>
    public static void CheckBeforeFirstStart(BerthSettings settings)
    {
        // A PostgreSQL database may already hold objects of other replicas; without connecting, only start-up can tell.
        if (!settings.Storage.UsesPostgres
            && !File.Exists(Path.Combine(Path.GetFullPath(settings.Storage.DataDir), MetadataStoreRegistration.MetadataFileName)))
        {
            OpenModeGuard.Check(settings, FederationSetup.Build(settings));
        }
    }
}
