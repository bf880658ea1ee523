namespace Berth.CredentialProvider.Protocol;

/// <summary>The kubelet's PluginCacheKeyType values; anything else makes it drop the response.</summary>
internal static class CacheKeyType
{
    public const string Image = "Image";
    public const string Registry = "Registry";
    public const string Global = "Global";

    /// <summary>Accepts the three values case-insensitively and returns the canonical spelling.</summary>
    public static bool TryNormalize(string value, out string canonical)
    {
        foreach (var known in (ReadOnlySpan<string>)[Image, Registry, Global])
        {
            if (string.Equals(value, known, StringComparison.OrdinalIgnoreCase))
            {
                canonical = known;
                return true;
            }
        }

        canonical = string.Empty;
        return false;
    }
}
