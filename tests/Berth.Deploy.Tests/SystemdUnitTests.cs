using Berth.Deploy.Tests.Support;
using Berth.Interop.Tests.Infrastructure;
using Berth.Interop.Tests.QuickStart;

namespace Berth.Deploy.Tests;

/// <summary>
/// deploy/systemd/berth.service without booting systemd: `systemd-analyze verify` knows every directive (under a
/// root that holds the unit and a stand-in for /usr/local/bin/berth), `systemd-analyze security --offline` rates
/// its exposure, and its ExecStart arguments load deploy/systemd/berth.yaml (installed as /etc/berth/berth.yaml)
/// with --check-config, then serve /healthz with only the StateDirectory writable.
/// </summary>
public sealed class SystemdUnitTests
{
    private const string SystemdAnalyze = "/usr/bin/systemd-analyze";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private static readonly string UnitPath = Path.Combine(RepositoryRoot.Find(), "deploy", "systemd", "berth.service");

    [Fact]
    public async Task Unit_Verified_HasNoUnknownOrInvalidDirective()
    {
        DebianPackage.Require("systemd", SystemdAnalyze);
        await using var root = TempDirectory.Create("systemd");
        var unit = new SystemdUnit(UnitPath);
        var program = unit.Value("Service", "ExecStart").Split(' ')[0];
        Directory.CreateDirectory(root.Combine("etc", "systemd", "system"));
        File.Copy(UnitPath, root.Combine("etc", "systemd", "system", "berth.service"));
        Directory.CreateDirectory(Path.GetDirectoryName(root.Combine(program.TrimStart('/')))!);
        await File.WriteAllTextAsync(root.Combine(program.TrimStart('/')), "#!/bin/sh\n");
        (await Command.RunAsync("chmod", ["0755", root.Combine(program.TrimStart('/'))], null, TimeSpan.FromMinutes(1), CancellationToken.None)).EnsureSuccess();
        // The targets the unit is ordered against come from the machine's systemd.
        Directory.CreateDirectory(root.Combine("usr", "lib"));
        (await Command.RunAsync("cp", ["-r", "/usr/lib/systemd", root.Combine("usr", "lib")], null, TimeSpan.FromMinutes(1), CancellationToken.None)).EnsureSuccess();

        var verify = await Command.RunAsync(SystemdAnalyze, [$"--root={root.Path}", "verify", "/etc/systemd/system/berth.service"], null, TimeSpan.FromMinutes(1), CancellationToken.None);

        verify.EnsureSuccess();
        // verify exits 0 on an unknown key or a bad value too, and says so on stderr.
        Assert.True(verify.StandardError.Trim().Length == 0, verify.Describe("warned"));
    }

    [Fact]
    public async Task Unit_SecurityReview_ExposureAtMostTwo()
    {
        DebianPackage.Require("systemd", SystemdAnalyze);

        // Exposure runs from 0 (locked down) to 10 (unprotected); --threshold is in tenths.
        var review = await Command.RunAsync(SystemdAnalyze, ["security", "--offline=yes", "--threshold=20", "--no-pager", UnitPath], null, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.True(review.Succeeded, review.Describe("rates the unit above 2.0"));
        Assert.Contains("Overall exposure level for berth.service", review.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecStart_WithItsConfig_PassesCheckConfigAndServesHealthz()
    {
        var unit = new SystemdUnit(UnitPath);
        Assert.Equal("yes", unit.Value("Service", "DynamicUser"));
        Assert.Equal("strict", unit.Value("Service", "ProtectSystem"));
        Assert.Equal("yes", unit.Value("Service", "NoNewPrivileges"));
        var stateDirectory = "/var/lib/" + unit.Value("Service", "StateDirectory");
        var execStart = unit.Value("Service", "ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var config = execStart[Array.IndexOf(execStart, "--config") + 1];
        Assert.Equal(stateDirectory, execStart[Array.IndexOf(execStart, "--data") + 1]);

        var published = await PublishedBerth.GetAsync();
        await using var temp = TempDirectory.Create("systemd-run");
        var etc = Directory.CreateDirectory(temp.Combine("etc")).FullName;
        File.Copy(Path.Combine(RepositoryRoot.Find(), "deploy", "systemd", "berth.yaml"), Path.Combine(etc, Path.GetFileName(config)));
        var state = Directory.CreateDirectory(temp.Combine("state")).FullName;
        // A dynamic user (uid from systemd's 61184–65519 range), the binary where the unit expects it, the file
        // system read-only but for the StateDirectory; no environment beyond what systemd gives every service.
        var sandbox = new Sandbox(61184, "/", new Dictionary<string, string> { ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin", ["STATE_DIRECTORY"] = stateDirectory })
            .ReadOnly(published.Folder, "/opt/berth")
            .Symlink("/opt/berth/berth", execStart[0])
            .ReadOnly(etc, Path.GetDirectoryName(config)!)
            .Writable(state, stateDirectory);

        var check = await sandbox.RunAsync([.. execStart, "--check-config"], RunTimeout);
        Assert.True(check.Succeeded, check.Describe($"exited with {check.ExitCode}"));
        Assert.Contains("configuration ok", check.StandardOutput, StringComparison.Ordinal);

        var listen = File.ReadAllLines(Path.Combine(etc, Path.GetFileName(config))).Single(l => l.Trim().StartsWith("listen:", StringComparison.Ordinal)).Split(':')[^1].Trim();
        var run = await sandbox.RunAsync(Sandbox.ServeAndCheck(execStart, [execStart[0], "health", "--url", $"http://127.0.0.1:{listen}/healthz"]), RunTimeout);
        var output = run.StandardOutput + run.StandardError;
        Assert.True(output.Contains("HEALTHY", StringComparison.Ordinal), run.Describe("never became healthy"));
        Assert.Contains("SERVE EXIT 0", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(state, "metadata.db")), "SQLite lives in the StateDirectory");
    }
}
