using Berth.Deploy.Tests.Support;
using Berth.Interop.Tests.Infrastructure;
using Berth.Interop.Tests.QuickStart;

namespace Berth.Deploy.Tests;

/// <summary>
/// The opt-in trimmed publish of docs/operations.md ("Memory", `-p:BerthTrimmed=true`): one executable with SQLite's
/// library beside it, which reads the quick-start configuration, honours the command line's settings (the trimmer
/// must keep what binds them) and serves /healthz on the address it was given.
/// </summary>
public sealed class TrimmedPublishTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task TrimmedPublish_QuickStartConfig_IsOneExecutableThatChecksAndServes()
    {
        var app = await PublishedBerth.GetTrimmedAsync();
        var berth = Path.Combine(app, "berth");
        Assert.True(File.Exists(berth), "the executable berth");
        Assert.True(File.Exists(Path.Combine(app, "libe_sqlite3.so")), "SQLite's library beside it, not unpacked at run time");
        Assert.False(File.Exists(Path.Combine(app, "berth.dll")), "one file: the assemblies are inside the executable");

        await using var temp = TempDirectory.Create("trimmed");
        var quickStart = Path.Combine(RepositoryRoot.Find(), "examples", "quick-start");
        foreach (var name in new[] { "berth.yaml", "jwks.json" })
        {
            File.Copy(Path.Combine(quickStart, name), temp.Combine(name));
        }

        var check = await Command.RunAsync(berth, ["serve", "--config", temp.Combine("berth.yaml"), "--check-config"], null, RunTimeout, CancellationToken.None);
        Assert.True(check.Succeeded, check.Describe($"exited with {check.ExitCode}"));
        Assert.Contains("configuration ok", check.StandardOutput, StringComparison.Ordinal);

        var port = FreePort.Next();
        string[] serve = [berth, "serve", "--config", temp.Combine("berth.yaml"), "--listen", $"127.0.0.1:{port}", "--data", temp.Combine("data")];
        var sandboxed = Sandbox.ServeAndCheck(serve, [berth, "health", "--url", $"http://127.0.0.1:{port}/healthz"]);
        var run = await Command.RunAsync(sandboxed[0], sandboxed.Skip(1), null, RunTimeout, CancellationToken.None);
        var output = run.StandardOutput + run.StandardError;
        Assert.True(output.Contains("HEALTHY", StringComparison.Ordinal), run.Describe("never became healthy on the --listen port"));
        Assert.Contains("SERVE EXIT 0", output, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Combine("data", "metadata.db")), "SQLite's database in the --data folder");
    }
}
