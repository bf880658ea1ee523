using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.QuickStart;

/// <summary>
/// docs/install.md's .NET tool: <c>dotnet pack src/Berth</c>, <c>dotnet tool install</c> from the packed folder,
/// then <c>berth</c> as a user runs it. Packs with <c>--no-build</c> from the binaries this test run built,
/// so it never rebuilds what other test processes are running; the package goes to a temp folder.
/// </summary>
public sealed class BerthToolTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task DotnetToolInstall_PackedBerth_RunsWithRelativeConfigPath()
    {
        var root = RepositoryRoot.Find();
        await using var temp = TempDirectory.Create("tool");
        var environment = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };

        // The MSBuild variables `dotnet test` leaves in this process are not a user's: a nested pack must choose its own.
        var project = Path.Combine(root, "src", "Berth", "Berth.csproj");
        (await Command.RunAsync(
            "bash",
            ["-c", $"for name in $(compgen -e | grep -iE '^MSBuild'); do unset \"$name\"; done; exec dotnet pack '{project}' --no-build -c {Configuration} -o '{temp.Combine("packages")}' --disable-build-servers"],
            environment, StepTimeout, CancellationToken.None)).EnsureSuccess();
        (await Command.RunAsync(
            "dotnet",
            ["tool", "install", "--tool-path", temp.Combine("tools"), "--add-source", temp.Combine("packages"), "berth"],
            environment, StepTimeout, CancellationToken.None)).EnsureSuccess();
        var berth = temp.Combine("tools", "berth");

        var version = (await Command.RunAsync(berth, ["--version"], null, StepTimeout, CancellationToken.None)).EnsureSuccess();
        Assert.Matches(@"^\d+\.\d+\.\d+", version.StandardOutput);

        // A relative --config resolves against the folder berth runs in (bash cd, as a user's shell).
        var work = Directory.CreateDirectory(temp.Combine("work")).FullName;
        foreach (var file in (string[])["berth.yaml", "jwks.json"])
        {
            File.Copy(Path.Combine(root, "examples", "quick-start", file), Path.Combine(work, file));
        }

        var check = (await Command.RunAsync(
            "bash",
            ["-c", $"cd '{work}' && '{berth}' serve --config berth.yaml --check-config"],
            null, StepTimeout, CancellationToken.None)).EnsureSuccess();
        Assert.Contains("configuration ok", check.StandardOutput, StringComparison.Ordinal);
    }
}
