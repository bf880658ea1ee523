using Xunit.Sdk;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>What an external command printed and how it ended.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Fails the test with the command's stderr when it did not exit 0.</summary>
    public CommandResult EnsureSuccess() =>
        Succeeded ? this : throw new XunitException(Describe($"exited with {ExitCode}"));

    public string Describe(string what) =>
        $"`{CommandLine}` {what}\n--- stderr ---\n{Tail(StandardError)}\n--- stdout ---\n{Tail(StandardOutput)}";

    private static string Tail(string text) => text.Length <= 8000 ? text : "…" + text[^8000..];
}
