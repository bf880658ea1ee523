using System.Diagnostics;

namespace Berth.Tests.Examples;

/// <summary>
/// Runs the built <c>berth</c> like <see cref="Cli.BerthProcess"/>, but from a chosen working folder:
/// the examples name their <c>jwksFile</c> relative to their own folder, as a user running
/// <c>berth serve --config berth.yaml</c> there would, and relative paths resolve against the working folder.
/// </summary>
internal static class ExampleProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<(int ExitCode, string Output, string Error)> RunInAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "berth.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The examples must stand on their own: no BERTH_* variable of the machine may change them.
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("BERTH_", StringComparison.Ordinal)))
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"berth {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s");
        }

        return (process.ExitCode, await output, await error);
    }
}
