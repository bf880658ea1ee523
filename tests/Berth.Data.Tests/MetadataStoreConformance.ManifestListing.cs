using Berth.Registry.Metadata;

namespace Berth.Data.Tests;

/// <summary>A repository's manifests, tagged or not, a page at a time (the console's repository page).</summary>
public abstract partial class MetadataStoreConformance
{
    private IManifestListing Listing => Store.ManifestListing;

    [Fact]
    public async Task ListManifestsAsync_TaggedAndUntagged_ListsEachOnceInDigestOrderWithItsTags()
    {
        var tagged = Manifest("acme/app", "tagged");
        var untagged = Manifest("acme/app", "untagged");
        await Manifests.PutManifestAsync(tagged, "v1", Ct);
        await Manifests.PutManifestAsync(tagged, "latest", Ct);
        await Manifests.PutManifestAsync(untagged, null, Ct);
        await Manifests.PutManifestAsync(Manifest("acme/other", "elsewhere"), "v1", Ct);

        var page = await Listing.ListManifestsAsync("acme/app", null, 10, Ct);

        var expected = new[] { (tagged, new[] { "latest", "v1" }), (untagged, Array.Empty<string>()) }
            .OrderBy(m => m.Item1.Digest.ToString(), StringComparer.Ordinal)
            .Select(m => (Info(m.Item1), string.Join(",", m.Item2)));
        Assert.Equal(expected, page.Select(m => (m.Manifest, string.Join(",", m.Tags))));
    }

    [Fact]
    public async Task ListManifestsAsync_AfterAndLimit_PagesThroughEveryManifestOnce()
    {
        var pushed = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var manifest = Manifest("acme/app", $"m{i}");
            await Manifests.PutManifestAsync(manifest, i % 2 == 0 ? $"v{i}" : null, Ct);
            pushed.Add(manifest.Digest.ToString());
        }

        var seen = new List<string>();
        Berth.Registry.Content.Digest? after = null;
        while (true)
        {
            var page = await Listing.ListManifestsAsync("acme/app", after, 3, Ct);
            Assert.True(page.Count <= 3);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(m => m.Manifest.Digest.ToString()));
            after = page[^1].Manifest.Digest;
        }

        Assert.Equal(pushed.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task ListManifestsAsync_UnknownRepositoryOrZeroLimit_ListsNothing()
    {
        await Manifests.PutManifestAsync(Manifest("acme/app", "a"), "v1", Ct);

        Assert.Empty(await Listing.ListManifestsAsync("acme/nothing", null, 10, Ct));
        Assert.Empty(await Listing.ListManifestsAsync("acme/app", null, 0, Ct));
    }
}
