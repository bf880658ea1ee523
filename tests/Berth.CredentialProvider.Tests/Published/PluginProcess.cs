using System.Diagnostics;
using System.Text;

namespace Berth.CredentialProvider.Tests.Published;

/// <summary>
/// Runs the plugin the way the kubelet does (exec, request on stdin, response on stdout), bounded by
/// a timeout like the kubelet's one-minute limit.
/// </summary>
public static class PluginProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task<PluginRun> RunAsync(
        string binary,
        byte[] stdin,
        IReadOnlyList<string>? args = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args ?? [])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("BERTH_CACHE_KEY_TYPE");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? DefaultTimeout);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            await WriteStdinAsync(process, stdin, limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return new PluginRun(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{binary} did not finish within {timeout ?? DefaultTimeout}");
        }
    }

    private static async Task WriteStdinAsync(Process process, byte[] stdin, CancellationToken cancellationToken)
    {
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken);
            await process.StandardInput.BaseStream.FlushAsync(cancellationToken);
        }
        catch (IOException)
        {
            // The plugin may stop reading early (oversized request) and exit: a broken pipe is its answer.
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Same broken pipe, reported again on close.
            }
        }
    }
}
