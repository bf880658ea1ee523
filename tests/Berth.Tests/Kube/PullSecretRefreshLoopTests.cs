using Berth.Kube;
using Berth.Tests.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Kube;

/// <summary>The sidecar mode: refresh every interval until SIGTERM; give up after repeated failures. Time is fake, nothing sleeps.</summary>
public sealed class PullSecretRefreshLoopTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-kube-loop-" + Guid.NewGuid().ToString("N"));
    private readonly CountingTimeProvider time = new();
    private readonly StringWriter outputText = new();
    private readonly StringWriter errorText = new();
    private readonly TextWriter output;
    private readonly TextWriter error;
    private FederatedRegistry registry = null!;
    private FakeKubeApiServer kube = null!;
    private HttpClient http = null!;
    private k8s.IKubernetes client = null!;
    private PullSecretRefreshOptions options = null!;

    public PullSecretRefreshLoopTests()
    {
        output = TextWriter.Synchronized(outputText);
        error = TextWriter.Synchronized(errorText);
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        registry = await FederatedRegistry.StartAsync();
        kube = await FakeKubeApiServer.StartAsync();
        var tokenFile = Path.Combine(folder, "token");
        await File.WriteAllTextAsync(tokenFile, registry.KubernetesToken());
        options = new PullSecretRefreshOptions(registry.Client.BaseAddress!, tokenFile, "flux-system", "berth-pull", await kube.WriteKubeconfigAsync(folder), null);
        http = new HttpClient();
        client = KubernetesClientFactory.Create(options.Kubeconfig);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        http.Dispose();
        await kube.DisposeAsync();
        await registry.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task RunAsync_WithInterval_RefreshesEveryIntervalUntilCancelled()
    {
        using var stop = new CancellationTokenSource();
        var running = Loop().RunAsync(options, TimeSpan.FromMinutes(30), stop.Token);

        await WaitForAsync(() => Count(output, "created Secret") == 1 && time.Timers == 1);
        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(2, kube.Requests.Count); // GET, POST: nothing before the interval is up
        time.Advance(TimeSpan.FromMinutes(1));
        await WaitForAsync(() => Count(output, "replaced Secret") == 1);
        await stop.CancelAsync();

        Assert.Equal(0, await running);
        Assert.Equal(4, kube.Requests.Count);
    }

    [Fact]
    public async Task RunAsync_WithIntervalAndFailuresInARow_GivesUpWithNonZeroExit()
    {
        File.Delete(options.TokenFile);
        var running = Loop().RunAsync(options, TimeSpan.FromMinutes(30), CancellationToken.None);

        for (var failure = 1; failure < PullSecretRefreshLoop.MaxConsecutiveFailures; failure++)
        {
            var expected = failure;
            await WaitForAsync(() => Count(error, "does not exist") == expected && time.Timers == expected);
            time.Advance(TimeSpan.FromMinutes(1)); // the retry delay, shorter than the interval
        }

        Assert.Equal(1, await running);
        Assert.Equal(PullSecretRefreshLoop.MaxConsecutiveFailures, Count(error, "does not exist"));
        Assert.Equal(1, Count(error, "giving up"));
    }

    [Fact]
    public async Task RunAsync_Once_ReturnsAfterOneRefresh()
    {
        Assert.Equal(0, await Loop().RunAsync(options, null, CancellationToken.None));
        Assert.Equal(1, Count(output, "created Secret"));
    }

    private PullSecretRefreshLoop Loop() =>
        new(new PullSecretRefresher(new RegistryCredentialExchange(http, time), new PullSecretWriter(client)), time, output, error);

    /// <summary>Occurrences of <paramref name="text"/> so far; reads under the synchronized writer's lock (it locks on itself).</summary>
    private int Count(TextWriter writer, string text)
    {
        string all;
        lock (writer)
        {
            all = (ReferenceEquals(writer, output) ? outputText : errorText).ToString();
        }

        var count = 0;
        for (var at = all.IndexOf(text, StringComparison.Ordinal); at >= 0; at = all.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Polls a condition the loop's background work will make true (bounded: 10 s).</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 500 && !condition(); attempt++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "condition not reached within 10 s");
    }

    /// <summary>Counts the timers the loop starts, so the test advances time only once the loop is waiting.</summary>
    private sealed class CountingTimeProvider : FakeTimeProvider
    {
        private int timers;

        public int Timers => Volatile.Read(ref timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref timers);
            return timer;
        }
    }
}
