using Berth.Access.Admin;

namespace Berth.Data.Tests;

public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task PutDocumentAsync_SameKindAndNameAgain_ReplacesDocument()
    {
        await Store.Documents.PutDocumentAsync(new StoredDocument("robot", "ci", "{\"v\":1}", T0), Ct);
        await Store.Documents.PutDocumentAsync(new StoredDocument("robot", "ci", "{\"v\":2}", T0.AddMinutes(1)), Ct);
        await Store.Documents.PutDocumentAsync(new StoredDocument("project", "ci", "{}", T0), Ct);

        var documents = await Store.Documents.ListDocumentsAsync(Ct);

        Assert.Equal(2, documents.Count);
        Assert.Equal(new StoredDocument("project", "ci", "{}", T0), documents[0]);
        Assert.Equal(new StoredDocument("robot", "ci", "{\"v\":2}", T0.AddMinutes(1)), documents[1]);
    }

    [Fact]
    public async Task DeleteDocumentAsync_Missing_ReturnsFalse()
    {
        await Store.Documents.PutDocumentAsync(new StoredDocument("robot", "ci", "{}", T0), Ct);

        Assert.False(await Store.Documents.DeleteDocumentAsync("project", "ci", Ct));
        Assert.True(await Store.Documents.DeleteDocumentAsync("robot", "ci", Ct));
        Assert.Empty(await Store.Documents.ListDocumentsAsync(Ct));
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
