using Berth.Access.Admin;

namespace Berth.Data.Tests;

public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task WriteDocumentsAsync_SameKindAndNameAgain_ReplacesDocumentAndMovesRevision()
    {
        Assert.Equal(0, await Store.Documents.GetDocumentsRevisionAsync(Ct));
        Assert.True(await Store.Documents.WriteDocumentsAsync(0, [new StoredDocument("robot", "ci", "{\"v\":1}", T0), new StoredDocument("project", "ci", "{}", T0)], [], Ct));
        Assert.True(await Store.Documents.WriteDocumentsAsync(1, [new StoredDocument("robot", "ci", "{\"v\":2}", T0.AddMinutes(1))], [], Ct));

        var read = await Store.Documents.ReadDocumentsAsync(Ct);

        Assert.Equal(2, read.Revision);
        Assert.Equal([new StoredDocument("project", "ci", "{}", T0), new StoredDocument("robot", "ci", "{\"v\":2}", T0.AddMinutes(1))], read.Documents);
    }

    [Fact]
    public async Task WriteDocumentsAsync_DeletesAndPutsTogether_AppliesBoth()
    {
        Assert.True(await Store.Documents.WriteDocumentsAsync(0, [new StoredDocument("robot", "ci", "{}", T0), new StoredDocument("jwks", "k3d", "{}", T0)], [], Ct));

        Assert.True(await Store.Documents.WriteDocumentsAsync(1, [new StoredDocument("robot", "cd", "{}", T0)], [new DocumentKey("jwks", "k3d"), new DocumentKey("project", "missing")], Ct));

        var read = await Store.Documents.ReadDocumentsAsync(Ct);
        Assert.Equal(["cd", "ci"], read.Documents.Select(d => d.Name));
        Assert.Equal(2, read.Revision);
    }

    [Fact]
    public async Task WriteDocumentsAsync_StaleRevision_WritesNothingAndReturnsFalse()
    {
        Assert.True(await Store.Documents.WriteDocumentsAsync(0, [new StoredDocument("robot", "ci", "{}", T0)], [], Ct));

        // A second writer that read revision 0 too must read again before it may write.
        var stale = await Store.Documents.WriteDocumentsAsync(0, [new StoredDocument("robot", "other", "{}", T0)], [new DocumentKey("robot", "ci")], Ct);

        Assert.False(stale);
        var read = await Store.Documents.ReadDocumentsAsync(Ct);
        Assert.Equal(1, read.Revision);
        Assert.Equal(["ci"], read.Documents.Select(d => d.Name));
    }

    [Fact]
    public async Task WriteDocumentsAsync_ConcurrentWritersAtOneRevision_ExactlyOneWins()
    {
        var writers = Enumerable.Range(0, 8).Select(i => Store.Documents.WriteDocumentsAsync(0, [new StoredDocument("robot", $"r{i}", "{}", T0)], [], Ct));

        var results = await Task.WhenAll(writers);

        Assert.Single(results, won => won);
        Assert.Single((await Store.Documents.ReadDocumentsAsync(Ct)).Documents);
    }

    [Fact]
    public async Task SetAdminPasswordHashIfMissingAsync_Twice_FirstWins()
    {
        Assert.Null(await Store.AdminCredentials.GetAdminPasswordHashAsync(Ct));

        Assert.Equal("first", await Store.AdminCredentials.SetAdminPasswordHashIfMissingAsync("first", Ct));
        Assert.Equal("first", await Store.AdminCredentials.SetAdminPasswordHashIfMissingAsync("second", Ct));

        await Store.AdminCredentials.SetAdminPasswordHashAsync("third", Ct);
        Assert.Equal("third", await Store.AdminCredentials.GetAdminPasswordHashAsync(Ct));
    }

    [Fact]
    public async Task CreateAdminTokenAsync_ThenFindListDelete_RoundTrips()
    {
        var forever = new AdminTokenRecord("ci", "hash-ci", T0, null);
        var expiring = new AdminTokenRecord("alice", "hash-alice", T0, T0.AddDays(30));

        Assert.True(await Store.AdminCredentials.CreateAdminTokenAsync(forever, Ct));
        Assert.True(await Store.AdminCredentials.CreateAdminTokenAsync(expiring, Ct));
        Assert.False(await Store.AdminCredentials.CreateAdminTokenAsync(forever with { TokenHash = "other" }, Ct));

        Assert.Equal(forever, await Store.AdminCredentials.FindAdminTokenAsync("hash-ci", Ct));
        Assert.Equal([expiring, forever], await Store.AdminCredentials.ListAdminTokensAsync(Ct));
        Assert.True(await Store.AdminCredentials.DeleteAdminTokenAsync("ci", Ct));
        Assert.Null(await Store.AdminCredentials.FindAdminTokenAsync("hash-ci", Ct));
        Assert.False(await Store.AdminCredentials.DeleteAdminTokenAsync("ci", Ct));
    }
}
