namespace Berth.Bench.Scale;

/// <summary>The rows of each table for a layout, in an order the foreign keys accept.</summary>
internal static class Rows
{
    public static IEnumerable<(string Repository, string Digest, long Size)> Links(Layout layout)
    {
        foreach (var repository in layout.AllRepositories())
        {
            foreach (var layer in layout.Layers(repository))
            {
                yield return (repository, layer.Digest, layer.Content.Length);
            }
        }

        foreach (var row in layout.AllManifests())
        {
            if (row.LinksConfig)
            {
                yield return (row.Repository, row.Config.Digest, row.Config.Content.Length);
            }
        }
    }

    public static IEnumerable<(string Repository, string Manifest, string Digest)> References(Layout layout)
    {
        foreach (var row in layout.AllManifests())
        {
            foreach (var digest in row.References.Select(b => b.Digest).Distinct(StringComparer.Ordinal))
            {
                yield return (row.Repository, row.Manifest.Digest, digest);
            }
        }
    }
}
