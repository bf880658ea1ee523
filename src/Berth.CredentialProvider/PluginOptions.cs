using Berth.CredentialProvider.Protocol;

namespace Berth.CredentialProvider;

/// <summary>
/// Command-line settings, given through the kubelet config's <c>args</c> (or <c>env</c>):
/// <c>--cache-key-type Image|Registry|Global</c> (env <c>BERTH_CACHE_KEY_TYPE</c>), default Registry.
/// The flag wins over the environment.
/// </summary>
internal sealed record PluginOptions
{
    public const string CacheKeyTypeVariable = "BERTH_CACHE_KEY_TYPE";

    public const string Usage =
        "usage: berth-credential-provider [--cache-key-type Image|Registry|Global] < CredentialProviderRequest JSON";

    public string CacheKeyType { get; init; } = Protocol.CacheKeyType.Registry;

    public bool ShowHelp { get; init; }

    public static bool TryParse(IReadOnlyList<string> args, string? environmentCacheKeyType, out PluginOptions options, out string error)
    {
        options = new PluginOptions();
        error = string.Empty;
        var cacheKeyType = string.IsNullOrWhiteSpace(environmentCacheKeyType) ? null : environmentCacheKeyType.Trim();
        var source = $"{CacheKeyTypeVariable}";

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                options = options with { ShowHelp = true };
                return true;
            }

            if (arg == "--cache-key-type")
            {
                if (i + 1 >= args.Count)
                {
                    error = "--cache-key-type needs a value: Image, Registry or Global";
                    return false;
                }

                cacheKeyType = args[++i];
                source = "--cache-key-type";
            }
            else if (arg.StartsWith("--cache-key-type=", StringComparison.Ordinal))
            {
                cacheKeyType = arg["--cache-key-type=".Length..];
                source = "--cache-key-type";
            }
            else
            {
                error = $"unknown argument \"{arg}\"; {Usage}";
                return false;
            }
        }

        if (cacheKeyType is not null)
        {
            if (!Protocol.CacheKeyType.TryNormalize(cacheKeyType, out var canonical))
            {
                error = $"{source} \"{cacheKeyType}\" is not one of Image, Registry, Global";
                return false;
            }

            options = options with { CacheKeyType = canonical };
        }

        return true;
    }
}
