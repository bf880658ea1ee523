namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// A private dockerd (Debian's docker.io) for one test class, talking to the federated Berth of
/// <see cref="FederatedFixture"/>. Everything it keeps lives in one temp folder: data and exec
/// roots, its socket, pid file and an empty <c>daemon.json</c> (so no system file is read). The
/// flags keep it off the machine's network: no iptables rules, no docker0 bridge. Stopped by its
/// PID and the folder removed when the class is done, whether its tests passed or not.
/// </summary>
public sealed class DockerFixture(FederatedFixture federated) : IAsyncLifetime
{
    internal const string Daemon = "/usr/sbin/dockerd";
    private TempDirectory? directory;
    private DaemonProcess? daemon;
    private int clients;

    internal RegistryServer Server => federated.Server;

    private TempDirectory Directory => directory ?? throw new InvalidOperationException("fixture not started");

    private string Socket => Directory.Combine("docker.sock");

    /// <summary>A docker CLI with its own config folder (its own logins) on the shared daemon.</summary>
    internal DockerClient NewClient() =>
        new(Socket, Directory.Combine($"cli-{Interlocked.Increment(ref clients)}"), FailureContext);

    public async Task InitializeAsync()
    {
        DebianPackage.Require("docker.io", Daemon, DockerClient.Binary);
        directory = TempDirectory.Create("docker");
        await File.WriteAllTextAsync(Directory.Combine("daemon.json"), "{}");
        daemon = await DaemonProcess.StartAsync(
            Daemon,
            [
                "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=vfs",
                "--data-root", Directory.Combine("data"), "--exec-root", Directory.Combine("exec"),
                "-H", $"unix://{Socket}", "--pidfile", Directory.Combine("dockerd.pid"),
                "--insecure-registry", Server.HostPort, "--config-file", Directory.Combine("daemon.json"),
            ],
            Socket,
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (daemon is not null)
        {
            await daemon.DisposeAsync();
        }
        if (directory is not null)
        {
            await directory.DisposeAsync();
        }
    }

    private string FailureContext()
    {
        var server = Server.Output;
        return "--- dockerd output (tail) ---\n" + (daemon?.Tail(4000) ?? "(not started)")
            + "\n--- server output (tail) ---\n" + (server.Length <= 6000 ? server : "…" + server[^6000..]);
    }
}
