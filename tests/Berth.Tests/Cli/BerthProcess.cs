using System.Diagnostics;

namespace Berth.Tests.Cli;

/// <summary>Runs the built <c>berth</c> executable as a user would, bounded by a timeout.</summary>
internal static class BerthProcess
{
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string? stdin, params string[] args) =>
        RunWithEnvironmentAsync(null, stdin, args);

    /// <param name="environment">Variables set for the process only, e.g. XDG_CONFIG_HOME for berth login.</param>
    public static async Task<(int ExitCode, string Output, string Error)> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string>? environment, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "berth.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Runs stand on their own: no BERTH_* variable of the machine may change them.
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("BERTH_", StringComparison.Ordinal)))
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"berth {string.Join(' ', args)} did not finish within 60 s");
        }

        return (process.ExitCode, await output, await error);
    }
}
