using System.Diagnostics;
using Xunit.Sdk;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// Runs an external program with a hard timeout, so a hung client or registry fails a
/// test instead of hanging CI. Output is captured whole; the caller decides what fails.
/// </summary>
internal static class Command
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var commandLine = fileName + " " + string.Join(' ', info.ArgumentList);

        using var process = Process.Start(info)
            ?? throw new XunitException($"could not start `{commandLine}`");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            var timedOut = new CommandResult(commandLine, -1, await stdout, await stderr);
            throw new XunitException(timedOut.Describe($"did not finish within {timeout.TotalSeconds:0} s"));
        }
        return new CommandResult(commandLine, process.ExitCode, await stdout, await stderr);
    }
}
