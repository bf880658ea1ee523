using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Tests.Hosting;

/// <summary>
/// <c>berth serve</c> as a child process on a loopback port, configured by environment variables only
/// (the machine's own BERTH_* variables removed); ready once <c>/healthz</c> answers 200.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServeProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<ServeProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "berth.dll"));
        foreach (var argument in new[] { "serve", "--listen", $"127.0.0.1:{port}", "--data", dataDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("BERTH_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new ServeProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var health = await server.Client.GetAsync("/healthz");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        var log = server.Output;
        await server.DisposeAsync();
        throw new InvalidOperationException($"berth serve was not ready within {StartTimeout.TotalSeconds} s\n{log}");
    }

    /// <summary>SIGKILL: the process dies wherever it is, as a crashed replica.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(exit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
