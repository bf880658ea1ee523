using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Berth.Hosting;

/// <summary>
/// One compacting full garbage collection shortly after start-up, in the trimmed publish only
/// (docs/operations.md, "Memory"). Start-up leaves a few MiB of garbage behind (configuration binding, the
/// service container, the route table built for the first request); an idle registry allocates too little to
/// trigger a collection, so that garbage would stay resident until the first load. Collected once, it is
/// ~1–1.5 MiB less resident memory while idle (bench/RESULTS.md, issue 15 target 4). A few milliseconds of
/// pause, once, before any real traffic; nothing else changes.
/// </summary>
internal sealed class StartupCompaction(TimeProvider time) : BackgroundService
{
    /// <summary>The switch the trimmed publish sets in its runtimeconfig.json (Berth.csproj, <c>BerthTrimmed</c>).</summary>
    public const string Switch = "Berth.Hosting.CompactAfterStartup";

    /// <summary>Long enough for the first requests (a readiness probe) to have built the route table.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Delay, time, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}

/// <summary>Registers <see cref="StartupCompaction"/> when the build asks for it.</summary>
internal static class StartupCompactionRegistration
{
    public static IServiceCollection AddStartupCompaction(this IServiceCollection services)
    {
        if (AppContext.TryGetSwitch(StartupCompaction.Switch, out var enabled) && enabled)
        {
            services.AddHostedService<StartupCompaction>();
        }

        return services;
    }
}
