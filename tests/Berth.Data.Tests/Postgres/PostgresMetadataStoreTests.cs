using Berth.Data.Postgres;

namespace Berth.Data.Tests.Postgres;

/// <summary>
/// The conformance suite on a real PostgreSQL (a fresh database per test), plus what only PostgreSQL
/// has: the advisory-locked migration, the "C" collation, and several stores (replicas) writing at once.
/// </summary>
[Trait("Category", PostgresTestDatabase.Category)]
public sealed class PostgresMetadataStoreTests : MetadataStoreConformance
{
    private readonly List<MetadataStores> _stores = [];
    private PostgresTestDatabase? _database;

    private PostgresTestDatabase Database => _database ?? throw new InvalidOperationException("the database is not created yet");

    [Fact]
    public async Task MigrateAsync_RunTwice_RecordsEachVersionOnce()
    {
        await Store.Lifecycle.MigrateAsync(Ct);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], await Database.QueryAsync("SELECT version FROM schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task MigrateAsync_FourReplicasOnAFreshDatabaseAtOnce_ApplyEachVersionOnce()
    {
        await using var fresh = await PostgresTestDatabase.CreateAsync();
        var replicas = Enumerable.Range(0, 4).Select(_ => Track(NpgsqlMetadata.Create(fresh.ConnectionString, TimeProvider.System))).ToList();

        await Task.WhenAll(replicas.Select(r => Task.Run(() => r.Lifecycle.MigrateAsync(Ct))));

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], await fresh.QueryAsync("SELECT version FROM schema_migrations ORDER BY version"));
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task MigrateAsync_DatabaseFromNewerBerth_ThrowsNamingTheDatabaseNotThePassword()
    {
        await Database.QueryAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");

        var error = await Assert.ThrowsAsync<SchemaTooNewException>(() => Store.Lifecycle.MigrateAsync(Ct));

        Assert.Contains("999", error.Message, StringComparison.Ordinal);
        Assert.Contains(Database.Name, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Schema_EveryTextColumn_ComparesInTheCCollation()
    {
        var collations = await Database.QueryAsync(
            "SELECT DISTINCT coalesce(collation_name, '(default)') FROM information_schema.columns " +
            "WHERE table_schema = current_schema() AND data_type = 'text'");

        Assert.Equal(["C"], collations);
    }

    [Fact]
    public async Task ListTagsAsync_DatabaseDefaultCollationIsLinguistic_StillOrdinal()
    {
        foreach (var tag in new[] { "b", "B", "a", "A-1", "a_1" })
        {
            await Manifests.PutManifestAsync(Manifest("acme/app", "m-" + tag), tag, Ct);
        }

        Assert.Equal(["A-1", "B", "a", "a_1", "b"], await Manifests.ListTagsAsync("acme/app", null, 10, Ct));
        Assert.Equal(["a", "a_1", "b"], await Manifests.ListTagsAsync("acme/app", "B", 10, Ct));
    }

    [Fact]
    public async Task PutAndDeleteManifestAsync_TwoReplicasRacingOnOneDigest_NeverFailAndLeaveNoDanglingTag()
    {
        var other = Track(NpgsqlMetadata.Create(Database.ConnectionString, TimeProvider.System));
        var manifest = Manifest("race/app", "contested");

        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var i = 0; i < 40; i++)
                {
                    await Manifests.PutManifestAsync(manifest, $"t{i % 4}", Ct);
                }
            }),
            Task.Run(async () =>
            {
                for (var i = 0; i < 40; i++)
                {
                    await other.Manifests.DeleteManifestAsync("race/app", manifest.Digest, Ct);
                }
            }));

        // Whatever the interleaving, a tag exists only while its manifest does.
        var present = await Manifests.GetManifestAsync("race/app", manifest.Digest, Ct) is not null;
        var tags = await Manifests.ListTagsAsync("race/app", null, 10, Ct);
        Assert.True(present || tags.Count == 0, $"tags {string.Join(",", tags)} outlived their manifest");
        Assert.Equal(0L, (await Database.QueryAsync(
            "SELECT count(*) FROM tags t WHERE NOT EXISTS (SELECT 1 FROM manifests m WHERE m.repository = t.repository AND m.digest = t.manifest_digest)"))[0]);
    }

    [Fact]
    public async Task SetAdminPasswordHashIfMissingAsync_ReplicasAtOnce_AllGetTheOneStoredHash()
    {
        var replicas = Enumerable.Range(0, 6).Select(_ => Track(NpgsqlMetadata.Create(Database.ConnectionString, TimeProvider.System))).ToList();

        var results = await Task.WhenAll(replicas.Select((r, i) => Task.Run(() => r.AdminCredentials.SetAdminPasswordHashIfMissingAsync($"hash-{i}", Ct))));

        var stored = await Store.AdminCredentials.GetAdminPasswordHashAsync(Ct);
        Assert.NotNull(stored);
        Assert.All(results, hash => Assert.Equal(stored, hash));
    }

    [Fact]
    public async Task AppendBatchAsync_ReplicasAtOnce_EachBatchTakesContiguousIds()
    {
        var replicas = Enumerable.Range(0, 4).Select(_ => Track(NpgsqlMetadata.Create(Database.ConnectionString, TimeProvider.System))).ToList();

        await Task.WhenAll(replicas.Select((r, w) => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await r.Audit.AppendBatchAsync(Enumerable.Range(0, 5).Select(n => Entry(n, robots: $"replica-{w}")).ToList(), Ct);
            }
        })));

        // Each batch holds the audit advisory lock from its first id to its commit, so ids become visible in id order
        // (what paging by BeforeId relies on) and, as a visible consequence, one batch's ids are contiguous.
        var ids = await Database.QueryAsync("SELECT id FROM audit_log ORDER BY id");
        Assert.Equal(200, ids.Count);
        var robots = await Database.QueryAsync("SELECT robots FROM audit_log ORDER BY id");
        Assert.All(robots.Chunk(5), batch => Assert.Single(batch.Distinct()));
    }

    [Fact]
    public void Create_MalformedConnectionString_MessageNamesTheProblemNotTheSecret()
    {
        var error = Assert.Throws<ArgumentException>(() => NpgsqlMetadata.Create("Host=db;Password=hunter2;Bogus Key=1", TimeProvider.System));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains("bogus key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Target_ConnectionStringWithPassword_NamesHostAndDatabaseOnly()
    {
        using var store = NpgsqlMetadata.Create("Host=db.example.com;Port=6543;Database=berth;Username=registry;Password=hunter2", TimeProvider.System);

        Assert.Equal("registry@db.example.com:6543/berth", store.Target);
    }

    protected override async Task<MetadataStoreUnderTest> CreateStoreAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        return MetadataStoreUnderTest.From(Track(NpgsqlMetadata.Create(_database.ConnectionString, TimeProvider.System)));
    }

    protected override async Task DisposeStoreAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private MetadataStores Track(MetadataStores store)
    {
        _stores.Add(store);
        return store;
    }
}
