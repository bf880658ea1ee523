namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// One registry server shared by the client tests of a collection; each test uses its
/// own repository names, so they do not see each other's content.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private TempDirectory? data;
    private RegistryServer? server;

    internal RegistryServer Server => server ?? throw new InvalidOperationException("fixture not started");

    public async Task InitializeAsync()
    {
        data = TempDirectory.Create("data");
        server = await RegistryServer.StartAsync(data.Combine("registry"), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        if (data is not null)
        {
            await data.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "registry";
}
