using System.Net;
using System.Net.Sockets;
using Berth.Configuration;
using Berth.Hosting;

namespace Berth.Tests.Hosting;

/// <summary>What start-up says when the configured metadata store cannot be opened.</summary>
public sealed class MetadataStoreStartupTests
{
    [Fact]
    public async Task Start_PostgresUnreachable_FailsNamingTheDatabaseButNotThePassword()
    {
        var port = ClosedPort();
        var settings = new BerthSettings
        {
            Server = new() { Listen = "127.0.0.1:0" },
            Storage = new()
            {
                DataDir = Path.Combine(Path.GetTempPath(), "berth-unreachable-" + Guid.NewGuid().ToString("N")),
                Metadata = StorageSettings.PostgresMetadata,
                Postgres = new() { ConnectionString = $"Host=127.0.0.1;Port={port};Database=berth;Username=registry;Password=hunter2;Timeout=5" },
            },
        };
        await using var app = BerthApp.Build(settings);

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => app.StartAsync());

        Assert.Contains($"postgres registry@127.0.0.1:{port}/berth", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
