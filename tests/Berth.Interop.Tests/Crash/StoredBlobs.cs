using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Berth.Interop.Tests.Crash;

/// <summary>
/// Reads the blob store on disk without knowing more of its layout than this: content sits
/// under a directory named <c>blobs</c>, below a directory named after the algorithm, in a
/// file (Berth: <c>blobs/sha256/ab/&lt;hex&gt;</c>) or directory (distribution:
/// <c>blobs/sha256/ab/&lt;hex&gt;/data</c>) named by the digest's hex.
/// </summary>
internal static partial class StoredBlobs
{
    public static IReadOnlyList<StoredBlob> Walk(string dataDirectory)
    {
        var found = new List<StoredBlob>();
        foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
        {
            var segments = Path.GetRelativePath(dataDirectory, file).Split(Path.DirectorySeparatorChar);
            var blobs = Array.LastIndexOf(segments, "blobs");
            if (blobs < 0 || blobs + 1 >= segments.Length)
            {
                continue;
            }
            var algorithm = segments[blobs + 1];
            var hex = segments.Skip(blobs + 2).LastOrDefault(s => Hex().IsMatch(s));
            if (hex is null || algorithm is not ("sha256" or "sha512"))
            {
                continue;
            }
            found.Add(new StoredBlob(file, $"{algorithm}:{hex}", Hash(algorithm, file)));
        }
        return found;
    }

    private static string Hash(string algorithm, string path)
    {
        using var stream = File.OpenRead(path);
        var hash = algorithm == "sha512" ? SHA512.HashData(stream) : SHA256.HashData(stream);
        return $"{algorithm}:{Convert.ToHexStringLower(hash)}";
    }

    [GeneratedRegex("^([0-9a-f]{64}|[0-9a-f]{128})$")]
    private static partial Regex Hex();
}

/// <summary>One file of the blob store: the digest its path names and the digest of its bytes.</summary>
internal sealed record StoredBlob(string Path, string NamedDigest, string ActualDigest);
