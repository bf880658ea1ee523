using Berth.Access.Audit;

namespace Berth.Data.Tests;

public abstract partial class MetadataStoreConformance
{
    private const int Writers = 8;
    private const int OperationsPerWriter = 25;

    [Fact]
    public async Task PutManifestAsync_ParallelWriters_AllSucceedAndAreVisible()
    {
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < OperationsPerWriter; i++)
            {
                var seed = $"w{writer}-m{i}";
                var manifest = Manifest("shared/app", seed);
                foreach (var blob in manifest.BlobReferences)
                {
                    await Blobs.LinkBlobAsync("shared/app", blob, 10, Ct);
                }

                await Blobs.LinkBlobAsync("shared/app", D("base-layer"), 10, Ct);
                await Manifests.PutManifestAsync(manifest, $"t-{seed}", Ct);
                await Manifests.PutManifestAsync(manifest, "latest", Ct);
                await Manifests.PutManifestAsync(Manifest($"writer/{writer}", seed), null, Ct);
            }
        })));

        var tags = await Manifests.ListTagsAsync("shared/app", null, 1000, Ct);
        Assert.Equal(Writers * OperationsPerWriter + 1, tags.Count);
        Assert.NotNull(await Manifests.ResolveTagAsync("shared/app", "latest", Ct));
        Assert.Equal(Writers + 1, (await Repositories.ListRepositoriesAsync(null, 100, Ct)).Count);
        var seeds = Enumerable.Range(0, Writers)
            .SelectMany(w => Enumerable.Range(0, OperationsPerWriter).Select(i => $"w{w}-m{i}"))
            .ToList();
        Assert.Empty(await Manifests.FindMissingManifestsAsync("shared/app", seeds.Select(D).ToList(), Ct));
        Assert.Empty(await Blobs.FindUnlinkedBlobsAsync("shared/app", seeds.Select(s => D(s + "/layer")).ToList(), Ct));
    }

    [Fact]
    public async Task AppendAsync_ParallelWriters_AssignsDistinctIds()
    {
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < OperationsPerWriter; i++)
            {
                await Audit.AppendAsync(Entry(i, robots: $"robot-{writer},all"), Ct);
            }
        })));

        var entries = await Audit.QueryAsync(new AuditQuery(Robot: "all", Limit: 1000), Ct);
        Assert.Equal(Writers * OperationsPerWriter, entries.Select(e => e.Id).Distinct().Count());
        Assert.Equal(OperationsPerWriter, (await Audit.QueryAsync(new AuditQuery(Robot: "robot-3", Limit: 1000), Ct)).Count);
    }
}
