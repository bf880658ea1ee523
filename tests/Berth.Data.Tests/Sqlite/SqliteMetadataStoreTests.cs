using Berth.Data.Schema;
using Berth.Data.Sqlite;
using Microsoft.Data.Sqlite;

namespace Berth.Data.Tests.Sqlite;

/// <summary>The conformance suite on a real SQLite file in a temporary folder, plus what only SQLite has.</summary>
public sealed class SqliteMetadataStoreTests : MetadataStoreConformance
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "berth-data-tests", Guid.NewGuid().ToString("N"));
    private readonly List<MetadataStores> _stores = [];

    private string DatabasePath => Path.Combine(_folder, "metadata", "berth.db");

    [Fact]
    public async Task MigrateAsync_RunTwice_RecordsEachVersionOnce()
    {
        await Store.Lifecycle.MigrateAsync(Ct);

        var versions = await QueryAsync("SELECT version FROM schema_migrations ORDER BY version");

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L], versions);
    }

    [Fact]
    public async Task MigrateAsync_TwoStoresOnOneFileAtOnce_ApplyEachVersionOnce()
    {
        var path = Path.Combine(_folder, "shared", "berth.db");
        var stores = Enumerable.Range(0, 4).Select(_ => Track(SqliteMetadata.Open(path, TimeProvider.System))).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.Lifecycle.MigrateAsync(Ct))));

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L], await QueryAsync("SELECT version FROM schema_migrations ORDER BY version", path));
    }

    [Fact]
    public async Task MigrateAsync_NewDatabase_CreatesFolderAndUsesWalJournal()
    {
        Assert.True(File.Exists(DatabasePath));
        Assert.Equal(["wal"], await QueryAsync("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseFromNewerBerth_Throws()
    {
        await QueryAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");

        var error = await Assert.ThrowsAsync<SchemaTooNewException>(() => Store.Lifecycle.MigrateAsync(Ct));

        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteRefreshTokensForRobotAsync_Revoked_LeavesNoOrphanRobotRows()
    {
        await Store.RefreshTokens.StoreRefreshTokenAsync(RefreshToken("a", T0.AddHours(1), "ci", "deploy"), Ct);
        await Store.RefreshTokens.StoreRefreshTokenAsync(RefreshToken("b", T0.AddHours(1), "other"), Ct);

        await Store.RefreshTokens.DeleteRefreshTokensForRobotAsync("ci", Ct);

        // The robot rows go through ON DELETE CASCADE, which needs foreign_keys on every pooled connection.
        Assert.Equal(["other"], await QueryAsync("SELECT robot FROM refresh_token_robots"));
    }

    [Fact]
    public async Task DisposeAsync_AfterWrites_LeavesTheDatabaseFileAloneWithNoWal()
    {
        // The host's container disposes asynchronously: a stopped registry must leave one self-contained file
        // behind (the last connection folds the WAL into it), not a WAL that a copy of the folder might miss.
        var path = Path.Combine(_folder, "stopped", "berth.db");
        var store = SqliteMetadata.Open(path, TimeProvider.System);
        await store.Lifecycle.MigrateAsync(Ct);
        await store.RefreshTokens.StoreRefreshTokenAsync(RefreshToken("stopped", T0.AddHours(1), "ci"), Ct);

        await store.DisposeAsync();

        Assert.False(File.Exists(path + "-wal"));
        Assert.Equal(["ci"], await QueryAsync("SELECT robot FROM refresh_token_robots", $"file:{path}?immutable=1"));
    }

    [Fact]
    public async Task Write_WhileTheStoreStaysOpen_ReachesTheDatabaseFileWithinSeconds()
    {
        // The checkpoint runs on its own thread, not in a request's commit; a small write must still leave
        // the WAL for the file soon, or the WAL and every reader's walk through it would grow between restarts.
        await Store.RefreshTokens.StoreRefreshTokenAsync(RefreshToken("checkpointed", T0.AddHours(1), "ci"), Ct);

        // immutable=1 reads the database file alone, as if the WAL beside it did not exist.
        var fileOnly = $"file:{DatabasePath}?immutable=1";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<object> robots = [];
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                robots = await QueryAsync("SELECT robot FROM refresh_token_robots", fileOnly);
            }
            catch (SqliteException)
            {
                // The schema itself may still be in the WAL only.
            }

            if (robots.Count > 0)
            {
                break;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Equal(["ci"], robots);
    }

    [Theory]
    [InlineData(nameof(GarbageCollectionSql.ListStaleLinksAfter), "SEARCH l USING INDEX sqlite_autoindex_blob_links_1 ((repository,digest)>(?,?))")]
    [InlineData(nameof(GarbageCollectionSql.ListUntaggedManifestsAfter), "SEARCH m USING INDEX sqlite_autoindex_manifests_1 ((repository,digest)>(?,?))")]
    public async Task GarbageCollectionNextPage_QueryPlan_SeeksThePrimaryKeyInsteadOfScanningFromTheStart(string statement, string seek)
    {
        // A page that scanned the key from its beginning made a run over N rows with P pages read P·N/2 rows (bench/scale.sh).
        var sql = (string)typeof(GarbageCollectionSql).GetField(statement)!.GetValue(null)!;
        var literal = sql.Replace("@before", "0", StringComparison.Ordinal).Replace("@after_repository", "'acme/app'", StringComparison.Ordinal)
            .Replace("@after_digest", "'sha256:00'", StringComparison.Ordinal).Replace("@limit", "500", StringComparison.Ordinal);

        var plan = await QueryAsync("EXPLAIN QUERY PLAN " + literal, column: 3);

        Assert.Contains(seek, plan.Cast<string>());
    }

    [Theory]
    [InlineData(nameof(AuditSql.PurgeRobotsSliceSql))]
    [InlineData(nameof(AuditSql.PurgeEntriesSliceSql))]
    public async Task AuditPurgeSlice_QueryPlan_SeeksTheTimeIndexInsteadOfScanningTheLog(string statement)
    {
        // Ordered by id alone, the slice walked the table from its first row: the last slice of every purge
        // (nothing or little left to delete) read the whole audit log, twice, holding SQLite's write lock.
        var sql = (string)typeof(AuditSql).GetField(statement)!.GetValue(null)!;
        var literal = sql.Replace("@cutoff", "1000", StringComparison.Ordinal).Replace("@slice", "5000", StringComparison.Ordinal);

        var plan = await QueryAsync("EXPLAIN QUERY PLAN " + literal, column: 3);

        Assert.Contains("SEARCH audit_log USING COVERING INDEX ix_audit_log_occurred_at (occurred_at<?)", plan.Cast<string>());
        Assert.DoesNotContain(plan.Cast<string>(), step => step.StartsWith("SCAN", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("occurred_at >= 1 AND occurred_at <= 2", "ix_audit_log_occurred_at")]
    [InlineData("id IN (SELECT audit_id FROM audit_robots WHERE robot = 'ci')", "sqlite_autoindex_audit_robots_1")]
    [InlineData("issuer = 'https://token.actions.githubusercontent.com'", "ix_audit_log_issuer")]
    [InlineData("subject = 'repo:acme/app:ref:refs/heads/main'", "ix_audit_log_subject")]
    [InlineData("issuer = 'https://token.actions.githubusercontent.com' AND subject = 'repo:acme/app:ref:refs/heads/main'", "ix_audit_log_")]
    [InlineData("repository = 'acme/app'", "ix_audit_log_repository")]
    [InlineData("outcome = 'refused'", "ix_audit_log_outcome")]
    [InlineData("kind = 'gc'", "ix_audit_log_kind_outcome")]
    [InlineData("outcome = 'refused' AND kind = 'token'", "ix_audit_log_kind_outcome")]
    public async Task AuditQueryFilter_QueryPlan_ReadsThroughAnIndex(string filter, string index)
    {
        // The shape SqliteAuditLog.QueryAsync builds: filters after "1 = 1", newest first, one page.
        var plan = await QueryAsync($"EXPLAIN QUERY PLAN SELECT {AuditSql.AuditColumns} FROM audit_log WHERE 1 = 1 AND {filter} ORDER BY id DESC LIMIT 100", column: 3);

        Assert.Contains(plan.Cast<string>(), step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains(" INDEX " + index, StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Cast<string>(), step => step.StartsWith("SCAN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MigrateAsync_AuditLog_KeepsNoIndexOnIssuerAndSubjectTogether()
    {
        // Every audit row is an insert into each index: (issuer, subject) cost the most and served no filter
        // that the subject index and the issuer index do not (migration 7).
        var indexes = await QueryAsync("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log' AND sql IS NOT NULL ORDER BY name");

        Assert.Equal(
            ["ix_audit_log_issuer", "ix_audit_log_kind_outcome", "ix_audit_log_occurred_at", "ix_audit_log_outcome", "ix_audit_log_repository", "ix_audit_log_subject"],
            indexes.Cast<string>());
    }

    protected override Task<MetadataStoreUnderTest> CreateStoreAsync() =>
        Task.FromResult(MetadataStoreUnderTest.From(Track(SqliteMetadata.Open(DatabasePath, TimeProvider.System))));

    protected override Task DisposeStoreAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    private MetadataStores Track(MetadataStores store)
    {
        _stores.Add(store);
        return store;
    }

    private async Task<List<object>> QueryAsync(string sql, string? path = null, int column = 0)
    {
        var values = new List<object>();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path ?? DatabasePath, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetValue(column));
        }

        return values;
    }
}
