using Berth.Registry.Content;

namespace Berth.Data.Tests;

public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task PutManifestAsync_NewRepository_CreatesRepositoryAndManifest()
    {
        var manifest = Manifest("acme/app", "v1");

        await Manifests.PutManifestAsync(manifest, null, Ct);

        Assert.Equal(["acme/app"], await Repositories.ListRepositoriesAsync(null, 10, Ct));
        Assert.Equal(Info(manifest), await Manifests.GetManifestAsync("acme/app", manifest.Digest, Ct));
        Assert.Empty(await Manifests.ListTagsAsync("acme/app", null, 10, Ct));
    }

    [Fact]
    public async Task PutManifestAsync_SameDigestTwice_IsIdempotent()
    {
        var index = Manifest("acme/app", "index", children: Digests("amd64", "arm64"));

        await Manifests.PutManifestAsync(index, "v1", Ct);
        await Manifests.PutManifestAsync(index, "v1", Ct);
        await Manifests.PutManifestAsync(index with { PushedAt = T0.AddHours(1) }, null, Ct);

        Assert.Equal(Info(index), await Manifests.GetManifestAsync("acme/app", index.Digest, Ct));
        Assert.Equal(["v1"], await Manifests.ListTagsAsync("acme/app", null, 10, Ct));
        Assert.Equal(Info(index), await Manifests.ResolveTagAsync("acme/app", "v1", Ct));
    }

    [Fact]
    public async Task PutManifestAsync_AllFields_RoundTrip()
    {
        var manifest = Manifest(
            "acme/app",
            "signature",
            subject: D("image"),
            artifactType: "application/vnd.dev.sigstore.bundle.v0.3+json",
            annotationsJson: """{"org.opencontainers.image.created":"2025-03-14T09:26:53Z"}""");

        await Manifests.PutManifestAsync(manifest, null, Ct);

        Assert.Equal(Info(manifest), await Manifests.GetManifestAsync("acme/app", manifest.Digest, Ct));
    }

    [Fact]
    public async Task PutManifestAsync_TagMovedToOtherManifest_ResolvesNewManifestAndKeepsOld()
    {
        var first = Manifest("acme/app", "first");
        var second = Manifest("acme/app", "second");
        await Manifests.PutManifestAsync(first, "latest", Ct);

        await Manifests.PutManifestAsync(second, "latest", Ct);

        Assert.Equal(Info(second), await Manifests.ResolveTagAsync("acme/app", "latest", Ct));
        Assert.Equal(Info(first), await Manifests.GetManifestAsync("acme/app", first.Digest, Ct));
        Assert.Equal(["latest"], await Manifests.ListTagsAsync("acme/app", null, 10, Ct));
    }

    [Fact]
    public async Task PutManifestAsync_SameDigestInTwoRepositories_KeepsThemApart()
    {
        await Manifests.PutManifestAsync(Manifest("one", "m"), "t", Ct);
        await Manifests.PutManifestAsync(Manifest("two", "m"), null, Ct);

        Assert.True(await Manifests.DeleteManifestAsync("one", D("m"), Ct));

        Assert.NotNull(await Manifests.GetManifestAsync("two", D("m"), Ct));
        Assert.Null(await Manifests.GetManifestAsync("one", D("m"), Ct));
    }

    [Fact]
    public async Task GetManifestAsync_Unknown_ReturnsNull()
    {
        await Manifests.PutManifestAsync(Manifest("acme/app", "m"), null, Ct);

        Assert.Null(await Manifests.GetManifestAsync("acme/app", D("other"), Ct));
        Assert.Null(await Manifests.GetManifestAsync("acme/other", D("m"), Ct));
    }

    [Fact]
    public async Task ResolveTagAsync_UnknownTagOrRepository_ReturnsNull()
    {
        await Manifests.PutManifestAsync(Manifest("acme/app", "m"), "v1", Ct);

        Assert.Null(await Manifests.ResolveTagAsync("acme/app", "v2", Ct));
        Assert.Null(await Manifests.ResolveTagAsync("acme/other", "v1", Ct));
    }

    [Fact]
    public async Task ResolveTagAsync_TagNamesDifferInCase_AreDistinct()
    {
        await Manifests.PutManifestAsync(Manifest("acme/app", "lower"), "v1", Ct);
        await Manifests.PutManifestAsync(Manifest("acme/app", "upper"), "V1", Ct);

        Assert.Equal(D("lower"), (await Manifests.ResolveTagAsync("acme/app", "v1", Ct))?.Digest);
        Assert.Equal(D("upper"), (await Manifests.ResolveTagAsync("acme/app", "V1", Ct))?.Digest);
    }

    [Fact]
    public async Task FindMissingManifestsAsync_Mixed_ReturnsOnlyMissing()
    {
        await Manifests.PutManifestAsync(Manifest("acme/app", "amd64"), null, Ct);
        await Manifests.PutManifestAsync(Manifest("acme/other", "arm64"), null, Ct);

        var missing = await Manifests.FindMissingManifestsAsync("acme/app", Digests("arm64", "amd64", "s390x"), Ct);

        Assert.Equal(Digests("arm64", "s390x"), missing);
    }

    [Fact]
    public async Task DeleteManifestAsync_Tagged_RemovesManifestAndEveryTagPointingAtIt()
    {
        await Manifests.PutManifestAsync(Manifest("acme/app", "old"), "v1", Ct);
        await Manifests.PutManifestAsync(Manifest("acme/app", "old"), "stable", Ct);
        await Manifests.PutManifestAsync(Manifest("acme/app", "new"), "v2", Ct);

        Assert.True(await Manifests.DeleteManifestAsync("acme/app", D("old"), Ct));

        Assert.Null(await Manifests.GetManifestAsync("acme/app", D("old"), Ct));
        Assert.Null(await Manifests.ResolveTagAsync("acme/app", "v1", Ct));
        Assert.Equal(["v2"], await Manifests.ListTagsAsync("acme/app", null, 10, Ct));
        Assert.True(await Repositories.RepositoryExistsAsync("acme/app", Ct));
    }

    [Fact]
    public async Task DeleteManifestAsync_Unknown_ReturnsFalse()
    {
        Assert.False(await Manifests.DeleteManifestAsync("acme/app", D("m"), Ct));
    }

    [Fact]
    public async Task DeleteManifestAsync_ThenPushAgain_RestoresManifest()
    {
        var index = Manifest("acme/app", "index", children: Digests("amd64"));
        await Manifests.PutManifestAsync(index, "v1", Ct);
        await Manifests.DeleteManifestAsync("acme/app", index.Digest, Ct);

        await Manifests.PutManifestAsync(index, "v1", Ct);

        Assert.Equal(Info(index), await Manifests.ResolveTagAsync("acme/app", "v1", Ct));
    }

    [Fact]
    public async Task DeleteTagAsync_Existing_RemovesTagAndKeepsManifest()
    {
        await Manifests.PutManifestAsync(Manifest("acme/app", "m"), "v1", Ct);

        Assert.True(await Manifests.DeleteTagAsync("acme/app", "v1", Ct));

        Assert.Null(await Manifests.ResolveTagAsync("acme/app", "v1", Ct));
        Assert.NotNull(await Manifests.GetManifestAsync("acme/app", D("m"), Ct));
        Assert.False(await Manifests.DeleteTagAsync("acme/app", "v1", Ct));
    }

    [Fact]
    public async Task ListTagsAsync_SeveralTags_ReturnsOrdinalOrder()
    {
        foreach (var tag in new[] { "latest", "V2", "1.10", "1.9", "_x", "1-rc" })
        {
            await Manifests.PutManifestAsync(Manifest("acme/app", tag), tag, Ct);
        }

        var expected = new[] { "latest", "V2", "1.10", "1.9", "_x", "1-rc" }.Order(StringComparer.Ordinal);
        Assert.Equal(expected, await Manifests.ListTagsAsync("acme/app", null, 10, Ct));
    }

    [Fact]
    public async Task ListTagsAsync_AfterAndLimit_PagesThroughEveryTagOnce()
    {
        var tags = Enumerable.Range(0, 25).Select(i => $"t{i:D2}").ToList();
        foreach (var tag in tags)
        {
            await Manifests.PutManifestAsync(Manifest("acme/app", "m"), tag, Ct);
        }

        await Manifests.PutManifestAsync(Manifest("acme/other", "m"), "t00x", Ct);

        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await Manifests.ListTagsAsync("acme/app", after, 10, Ct);
            Assert.True(page.Count <= 10);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page);
            after = page[^1];
        }

        Assert.Equal(tags, seen);
    }

    [Fact]
    public async Task ListTagsAsync_UnknownRepository_ReturnsNothing()
    {
        Assert.Empty(await Manifests.ListTagsAsync("acme/none", null, 10, Ct));
    }

    [Fact]
    public async Task ListReferrersAsync_BySubject_ReturnsOnlyItsReferrers()
    {
        var signature = Manifest("acme/app", "sig", subject: D("image"), artifactType: "application/vnd.dev.cosign");
        var sbom = Manifest("acme/app", "sbom", subject: D("image"), artifactType: "application/spdx+json");
        await Manifests.PutManifestAsync(Manifest("acme/app", "image"), "v1", Ct);
        await Manifests.PutManifestAsync(signature, null, Ct);
        await Manifests.PutManifestAsync(sbom, null, Ct);
        await Manifests.PutManifestAsync(Manifest("acme/app", "other-sig", subject: D("other")), null, Ct);
        await Manifests.PutManifestAsync(Manifest("acme/mirror", "mirror-sig", subject: D("image")), null, Ct);

        var referrers = await Manifests.ListReferrersAsync("acme/app", D("image"), null, Ct);

        Assert.Equal(new[] { Info(signature), Info(sbom) }.OrderBy(i => i.Digest.ToString(), StringComparer.Ordinal), referrers);
    }

    [Fact]
    public async Task ListReferrersAsync_ArtifactTypeFilter_ReturnsOnlyThatType()
    {
        var sbom = Manifest("acme/app", "sbom", subject: D("image"), artifactType: "application/spdx+json");
        await Manifests.PutManifestAsync(Manifest("acme/app", "sig", subject: D("image"), artifactType: "application/vnd.dev.cosign"), null, Ct);
        await Manifests.PutManifestAsync(sbom, null, Ct);

        Assert.Equal([Info(sbom)], await Manifests.ListReferrersAsync("acme/app", D("image"), "application/spdx+json", Ct));
        Assert.Empty(await Manifests.ListReferrersAsync("acme/app", D("image"), "application/none", Ct));
    }

    [Fact]
    public async Task ListReferrersAsync_NoReferrers_ReturnsNothing()
    {
        await Manifests.PutManifestAsync(Manifest("acme/app", "image"), null, Ct);

        Assert.Empty(await Manifests.ListReferrersAsync("acme/app", D("image"), null, Ct));
    }
}
