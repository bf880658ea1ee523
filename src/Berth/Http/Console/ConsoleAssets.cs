using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Berth.Http.Console;

/// <summary>
/// The console's static files, embedded in the Berth assembly under the resource names
/// <c>console/…</c> (see Berth.csproj), read once: the binary carries its console, no folder to deploy.
/// </summary>
internal sealed class ConsoleAssets
{
    private const string ResourcePrefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".md"] = "text/markdown; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, ConsoleAsset> assets;

    private ConsoleAssets(FrozenDictionary<string, ConsoleAsset> assets) => this.assets = assets;

    public static ConsoleAssets Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var path = name[ResourcePrefix.Length..];
            // A file type without a known content type is left out rather than served for the browser to sniff.
            if (ContentTypes.TryGetValue(Path.GetExtension(path), out var contentType))
            {
                var content = Read(assembly, name);
                files[path] = new ConsoleAsset(content, contentType, "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"");
            }
        }

        return new ConsoleAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <param name="path">Relative to <c>/console/</c>; an exact name, so no path can climb out.</param>
    public ConsoleAsset? Find(string path) => assets.GetValueOrDefault(path);

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <param name="ETag">A strong validator from the content hash, so a browser revalidates cheaply after an upgrade.</param>
internal sealed record ConsoleAsset(byte[] Content, string ContentType, string ETag);
