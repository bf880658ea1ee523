using System.Globalization;

namespace Berth.Bench.Scale;

/// <summary>What bench/scale.sh requests from a filled store: sample paths, deep-page markers, the referrers' subject, manifests to push.</summary>
internal static class Facts
{
    private const int Samples = 1000;
    private const int Pushes = 200;
    private const int PageSize = 100;

    public static void Write(string directory, Layout layout)
    {
        Directory.CreateDirectory(Path.Combine(directory, "push"));
        var step = Math.Max(1, layout.Manifests / Samples);
        var tags = new List<string>();
        var digests = new List<string>();
        for (var i = 0; i < layout.Manifests && tags.Count < Samples; i += step)
        {
            var (repository, tag) = layout.Place(i);
            var row = layout.Image(repository, tag, i);
            tags.Add($"/v2/{repository}/manifests/{tag}");
            digests.Add($"/v2/{repository}/manifests/{row.Manifest.Digest}");
        }

        File.WriteAllLines(Path.Combine(directory, "tags.txt"), tags);
        File.WriteAllLines(Path.Combine(directory, "digests.txt"), digests);

        // The push target: the first repository's first manifest lends its config (linked there) to new manifests.
        var pushRepository = Layout.RepositoryName(0);
        for (var k = 0; k < Pushes; k++)
        {
            var row = layout.Image(pushRepository, null, layout.BigCount, $"push-{k}");
            File.WriteAllBytes(Path.Combine(directory, "push", $"{k}.json"), row.Manifest.Content);
        }

        // Catalog: R + 2 names sorted; the deep page starts PageSize before the end. scale/r… sort after scale/big and scale/referrers.
        var deepRepository = Layout.RepositoryName(Math.Max(0, layout.Repositories - PageSize - 1));
        var deepTag = Layout.TagName(Math.Max(0, layout.BigCount - PageSize - 1));
        var lines = new Dictionary<string, string>
        {
            ["SCALE_MANIFESTS"] = (layout.Manifests + Layout.Referrers + 1).ToString(CultureInfo.InvariantCulture),
            ["SCALE_TAGS"] = (layout.Manifests + 1).ToString(CultureInfo.InvariantCulture),
            ["SCALE_REPOSITORIES"] = (layout.Repositories + 2).ToString(CultureInfo.InvariantCulture),
            ["SCALE_BIG_REPOSITORY"] = Layout.BigRepository,
            ["SCALE_BIG_TAGS"] = layout.BigCount.ToString(CultureInfo.InvariantCulture),
            ["SCALE_DEEP_TAG"] = deepTag,
            ["SCALE_DEEP_REPOSITORY"] = deepRepository,
            ["SCALE_REFERRERS_REPOSITORY"] = Layout.ReferrersRepository,
            ["SCALE_SUBJECT"] = layout.SubjectManifest.Digest,
            ["SCALE_PUSH_REPOSITORY"] = pushRepository,
            ["SCALE_PUSH_FILES"] = Pushes.ToString(CultureInfo.InvariantCulture),
        };
        File.WriteAllLines(Path.Combine(directory, "facts.env"), lines.Select(p => $"{p.Key}='{p.Value}'"));
    }
}
