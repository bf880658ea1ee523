using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Xunit.Sdk;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// A container daemon (dockerd, containerd) started by a test fixture: a child process whose
/// output is kept for failure messages, ready once its unix socket accepts a connection, and
/// stopped by its PID (SIGTERM, then SIGKILL of its process tree if it does not exit in time).
/// </summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private readonly Process process;
    private readonly OutputLog output;

    private DaemonProcess(Process process, OutputLog output)
    {
        this.process = process;
        this.output = output;
    }

    public int ProcessId => process.Id;

    /// <summary>What the daemon printed so far (tail), to paste into failure messages.</summary>
    public string Output => output.ToString();

    /// <summary>Starts <paramref name="fileName"/> and waits (bounded) until <paramref name="socket"/> accepts a connection.</summary>
    public static async Task<DaemonProcess> StartAsync(string fileName, IEnumerable<string> arguments, string socket, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // A daemon inherits the working folder; `/` keeps it from pinning the test's output folder.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var log = new OutputLog();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => log.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => log.Append("err", e.Data);
        if (!process.Start())
        {
            throw new XunitException($"could not start {fileName}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var daemon = new DaemonProcess(process, log);
        try
        {
            await daemon.WaitForSocketAsync(fileName, socket, cancellationToken);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>The daemon's output, trimmed for a failure message.</summary>
    public string Tail(int chars = 6000)
    {
        var log = Output;
        return log.Length <= chars ? log : "…" + log[^chars..];
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM lets dockerd stop the containerd it started and remove its sockets.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync(CancellationToken.None);
            }
            using var exit = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        process.Dispose();
    }

    private async Task WaitForSocketAsync(string fileName, string socket, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken);
                throw new XunitException($"{fileName} exited with {process.ExitCode} before it listened on {socket}\n--- output ---\n{Tail()}");
            }
            if (await AcceptsAsync(socket, cancellationToken))
            {
                return;
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new XunitException($"{fileName} did not listen on {socket} within {StartTimeout.TotalSeconds:0} s\n--- output ---\n{Tail()}");
    }

    private static async Task<bool> AcceptsAsync(string socket, CancellationToken cancellationToken)
    {
        if (!File.Exists(socket))
        {
            return false;
        }
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
