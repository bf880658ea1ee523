namespace Berth.Configuration;

/// <summary>
/// The keys that name files or folders: <c>storage.dataDir</c>, <c>tokens.signingKeyFile</c>, <c>server.tls.certificateFile</c>/<c>keyFile</c> and
/// <c>identityProviders[].jwksFile</c>. A relative path written in the configuration file is relative to
/// the file's own folder, so a config and the files beside it work wherever berth is started from. Paths
/// from <c>BERTH_</c> variables and flags are not touched here: they are relative to the working folder,
/// like any path typed in a shell.
/// </summary>
internal static class ConfigFilePaths
{
    /// <summary>Makes the relative path values among <paramref name="fileValues"/> (flattened keys) absolute, against <paramref name="configFile"/>'s folder.</summary>
    public static Dictionary<string, string?> ResolveAgainstFolderOf(string configFile, Dictionary<string, string?> fileValues)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(configFile))!;
        foreach (var (key, value) in fileValues.ToList())
        {
            // Empty values stay empty, so the validator still names the key.
            if (IsPathKey(key) && !string.IsNullOrWhiteSpace(value) && !Path.IsPathRooted(value))
            {
                fileValues[key] = Path.GetFullPath(Path.Combine(folder, value));
            }
        }

        return fileValues;
    }

    private static bool IsPathKey(string key)
    {
        var parts = key.Split(':');
        return parts switch
        {
            [var section, var name] => (Is(section, "storage") && Is(name, "dataDir")) || (Is(section, "tokens") && Is(name, "signingKeyFile")),
            [var section, var group, var name] => (Is(section, "identityProviders") && Is(name, "jwksFile"))
                || (Is(section, "server") && Is(group, "tls") && (Is(name, "certificateFile") || Is(name, "keyFile"))),
            _ => false,
        };
    }

    private static bool Is(string part, string name) => string.Equals(part, name, StringComparison.OrdinalIgnoreCase);
}
