using System.Diagnostics;
using System.Net.Security;
using Xunit.Sdk;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// One registry server running as a child process on a loopback port over a data folder.
/// Start waits (bounded) for its health path; Kill is SIGKILL, for crash tests.
/// </summary>
internal sealed class RegistryServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private readonly Process process;
    private readonly OutputLog output;
    private readonly string healthPath;
    private readonly RegistryTarget target;
    private readonly RemoteCertificateValidationCallback? trust;

    private RegistryServer(Process process, OutputLog output, string healthPath, int port, string dataDirectory, RegistryTarget target, string? configPath, RemoteCertificateValidationCallback? trust)
    {
        this.target = target;
        this.trust = trust;
        ConfigPath = configPath;
        this.process = process;
        this.output = output;
        this.healthPath = healthPath;
        Port = port;
        DataDirectory = dataDirectory;
    }

    public int Port { get; }

    /// <summary>`127.0.0.1:PORT`, as clients write it in image references.</summary>
    public string HostPort => $"127.0.0.1:{Port}";

    /// <summary><c>https://</c> when the server was started with a TLS trust callback (its config sets <c>server.tls</c>).</summary>
    public Uri BaseAddress => new($"{(trust is null ? "http" : "https")}://{HostPort}/");

    public string DataDirectory { get; }

    /// <summary>The <c>--config</c> file the server was started with, if any.</summary>
    public string? ConfigPath { get; }

    public int ProcessId => process.Id;

    /// <summary>What the server printed so far (tail), to paste into failure messages.</summary>
    public string Output => output.ToString();

    public static Task<RegistryServer> StartAsync(string dataDirectory, CancellationToken cancellationToken) =>
        StartAsync(RegistryTargets.Current, dataDirectory, null, cancellationToken);

    /// <summary>Starts Berth (whatever INTEROP_TARGET says) with <c>--config <paramref name="configPath"/></c>.</summary>
    /// <param name="trust">For a config with <c>server.tls</c>: how the readiness check verifies the server's certificate.</param>
    public static Task<RegistryServer> StartBerthAsync(string dataDirectory, string configPath, CancellationToken cancellationToken, RemoteCertificateValidationCallback? trust = null) =>
        StartAsync(RegistryTarget.Berth, dataDirectory, configPath, cancellationToken, trust);

    private static async Task<RegistryServer> StartAsync(RegistryTarget target, string dataDirectory, string? configPath, CancellationToken cancellationToken, RemoteCertificateValidationCallback? trust = null)
    {
        Directory.CreateDirectory(dataDirectory);
        // The port is free when chosen but could be taken before the child binds it: retry then.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var server = Launch(target, port, dataDirectory, configPath, trust);
            var ready = await server.WaitUntilReadyAsync(cancellationToken);
            if (ready)
            {
                return server;
            }
            var log = server.Output;
            await server.DisposeAsync();
            if (attempt >= 3 || !log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new XunitException($"registry exited before it was ready\n--- server output ---\n{log}");
            }
        }
    }

    /// <summary>Starts a new server process on the same data folder (after a crash or stop).</summary>
    public Task<RegistryServer> RestartAsync(CancellationToken cancellationToken) =>
        StartAsync(target, DataDirectory, ConfigPath, cancellationToken, trust);

    /// <summary>
    /// SIGKILL the server process, then prove nothing still answers on its port: a wrapper
    /// process that left the real server running would make a crash test meaningless.
    /// </summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: false);
        using (var exit = new CancellationTokenSource(StopTimeout))
        {
            await process.WaitForExitAsync(exit.Token);
        }
        var deadline = DateTime.UtcNow + StopTimeout;
        while (FreePort.IsListening(Port))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new XunitException($"port {Port} still answers after the server process {process.Id} was killed");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM, as a service manager stops the server; returns its exit code once it has exited.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var exit = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(exit.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var exit = new CancellationTokenSource(StopTimeout);
            await process.WaitForExitAsync(exit.Token);
        }
        process.Dispose();
    }

    /// <summary>An HTTP client for this server: one that verifies its TLS certificate as the readiness check does.</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = trust } }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static RegistryServer Launch(RegistryTarget target, int port, string dataDirectory, string? configPath, RemoteCertificateValidationCallback? trust)
    {
        var launch = ServerLaunch.For(target, port, dataDirectory, configPath);
        var info = new ProcessStartInfo(launch.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launch.Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // Hermetic: the server sees only its command line, not the caller's BERTH_* settings.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("BERTH_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }
        var output = new OutputLog();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => output.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => output.Append("err", e.Data);
        if (!process.Start())
        {
            throw new XunitException($"could not start {launch.FileName}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RegistryServer(process, output, launch.HealthPath, port, dataDirectory, target, configPath, trust);
    }

    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = CreateClient();
        http.Timeout = TimeSpan.FromSeconds(5);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                return false;
            }
            try
            {
                using var response = await http.GetAsync(healthPath, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // slow first answer; poll again
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new XunitException($"registry not ready at {BaseAddress}{healthPath.TrimStart('/')} within {StartTimeout.TotalSeconds:0} s\n--- server output ---\n{Output}");
    }
}
