using System.Net;
using System.Net.Sockets;

namespace Berth.Tests.Cli;

/// <summary>
/// <c>berth serve</c> that cannot start says why in one <c>berth:</c> line and exits 1: no .NET stack
/// trace from the host's own log or from an unhandled exception, on stdout or stderr.
/// </summary>
public sealed class ServeStartupFailureTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("berth-serve-").FullName;

    [Fact]
    public async Task Serve_OpenModeOnAllInterfaces_PrintsTheRefusalAlone()
    {
        var environment = new Dictionary<string, string> { ["BERTH_SERVER__PUBLICURL"] = "https://registry.example.com" };

        var run = await BerthProcess.RunWithEnvironmentAsync(environment, null, "serve", "--listen", "0.0.0.0:0", "--data", Path.Combine(folder, "data"));

        AssertOneLine(run, "berth: refusing to serve 0.0.0.0:0 in open mode");
    }

    [Fact]
    public async Task Serve_AllInterfacesWithoutPublicUrl_SaysPublicUrlIsRequired()
    {
        var run = await BerthProcess.RunAsync(null, "serve", "--listen", "0.0.0.0:0", "--data", Path.Combine(folder, "data"));

        AssertOneLine(run, "berth: server.publicUrl is required when server.listen (0.0.0.0:0) is not a loopback address");
    }

    [Fact]
    public async Task Serve_PostgresUnreachable_PrintsTheStoreAlone()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var environment = new Dictionary<string, string>
        {
            ["BERTH_STORAGE__METADATA"] = "postgres",
            ["BERTH_STORAGE__POSTGRES__CONNECTIONSTRING"] = $"Host=127.0.0.1;Port={port};Database=berth;Username=berth;Password=not-shown;Timeout=5",
        };

        var run = await BerthProcess.RunWithEnvironmentAsync(environment, null, "serve", "--listen", "127.0.0.1:0", "--data", Path.Combine(folder, "data"));

        AssertOneLine(run, $"berth: cannot open the metadata store postgres berth@127.0.0.1:{port}/berth");
        Assert.DoesNotContain("not-shown", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ShortAdminPassword_PrintsTheRefusalAlone()
    {
        var environment = new Dictionary<string, string> { ["BERTH_ADMIN_PASSWORD"] = "admin123" };

        var run = await BerthProcess.RunWithEnvironmentAsync(environment, null, "serve", "--listen", "127.0.0.1:0", "--data", Path.Combine(folder, "data"));

        AssertOneLine(run, "berth: BERTH_ADMIN_PASSWORD is 8 characters long: choose at least 12");
        Assert.DoesNotContain("admin123", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PortTaken_SaysSoAlone()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var listen = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var run = await BerthProcess.RunAsync(null, "serve", "--listen", listen, "--data", Path.Combine(folder, "data"));

        AssertOneLine(run, $"berth: cannot listen on {listen}: another process uses that port");
    }

    [Fact]
    public async Task Serve_ConfigurationFileUnreadable_SaysSoAlone()
    {
        var notAFile = Directory.CreateDirectory(Path.Combine(folder, "berth.yaml")).FullName;

        var run = await BerthProcess.RunAsync(null, "serve", "--config", notAFile, "--check-config");

        AssertOneLine(run, $"berth: cannot read configuration file {notAFile}");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static void AssertOneLine((int ExitCode, string Output, string Error) run, string expected)
    {
        var all = run.Output + run.Error;
        Assert.True(run.ExitCode == 1, all);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
    }
}
