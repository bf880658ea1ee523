using Berth.Configuration;
using Berth.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Http.Registry;

/// <summary>
/// The real Berth host on a free loopback port with a throw-away data folder: real HTTP, real
/// SQLite, real files. One per test class (xunit class fixture); tests use their own repositories.
/// </summary>
public sealed class RegistryServer : IAsyncLifetime, IAsyncDisposable
{
    private readonly Action<IServiceCollection>? overrideServices;
    private readonly Func<BerthSettings, BerthSettings>? configure;
    private WebApplication? app;

    public RegistryServer()
        : this(null, null)
    {
    }

    private RegistryServer(Action<IServiceCollection>? overrideServices, Func<BerthSettings, BerthSettings>? configure)
    {
        this.overrideServices = overrideServices;
        this.configure = configure;
        DataDir = Path.Combine(Path.GetTempPath(), "berth-tests-" + Guid.NewGuid().ToString("N"));
    }

    public string DataDir { get; }

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("the server is not started");

    public static async Task<RegistryServer> StartAsync(Action<IServiceCollection>? overrideServices = null, Func<BerthSettings, BerthSettings>? configure = null)
    {
        var server = new RegistryServer(overrideServices, configure);
        await server.InitializeAsync();
        return server;
    }

    public async Task InitializeAsync()
    {
        var settings = new BerthSettings { Server = new() { Listen = "127.0.0.1:0" }, Storage = new() { DataDir = DataDir } };
        settings = configure?.Invoke(settings) ?? settings;

        app = BerthApp.Build(settings, overrideServices);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single());
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        // SQLite pools connections; release them so the database file can be deleted.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }
}
