using Xunit.Sdk;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// A private containerd (Debian's containerd 1.6) for one test class, as the kubelet's image puller,
/// driven with <c>ctr</c>. Its config keeps everything in one temp folder (root, state, sockets, the
/// <c>opt</c> plugin's folder) and disables the CRI plugin, which would otherwise set up pod networking.
/// Stopped by its PID and the folder removed when the class is done, whether its tests passed or not.
/// </summary>
public sealed class ContainerdFixture(FederatedFixture federated) : IAsyncLifetime
{
    internal const string Daemon = "/usr/bin/containerd";
    internal const string Client = "/usr/bin/ctr";

    /// <summary>The containerd namespace the tests pull into (the kubelet uses <c>k8s.io</c>).</summary>
    internal const string Namespace = "test";

    private TempDirectory? directory;
    private DaemonProcess? daemon;

    internal RegistryServer Server => federated.Server;

    private TempDirectory Directory => directory ?? throw new InvalidOperationException("fixture not started");

    private string Socket => Directory.Combine("containerd.sock");

    public async Task InitializeAsync()
    {
        DebianPackage.Require("containerd", Daemon, Client);
        directory = TempDirectory.Create("ctrd");
        var config = Directory.Combine("config.toml");
        await File.WriteAllTextAsync(config, $"""
            version = 2
            root = "{Directory.Combine("root")}"
            state = "{Directory.Combine("state")}"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]

            [grpc]
              address = "{Socket}"

            [ttrpc]
              address = "{Socket}.ttrpc"

            [plugins."io.containerd.internal.v1.opt"]
              path = "{Directory.Combine("opt")}"
            """);
        daemon = await DaemonProcess.StartAsync(Daemon, ["--config", config], Socket, CancellationToken.None);
    }

    /// <summary>Runs ctr in <see cref="Namespace"/> and returns its result whatever the exit code.</summary>
    internal Task<CommandResult> TryCtrAsync(params string[] arguments) =>
        Command.RunAsync(Client, ["-a", Socket, "-n", Namespace, .. arguments], null, Command.DefaultTimeout, CancellationToken.None);

    /// <summary>Runs ctr and fails the test with its stderr, containerd's and the server's output if it does not exit 0.</summary>
    internal async Task<CommandResult> CtrAsync(params string[] arguments)
    {
        var result = await TryCtrAsync(arguments);
        if (result.Succeeded)
        {
            return result;
        }
        var server = Server.Output;
        throw new XunitException(
            result.Describe($"exited with {result.ExitCode}")
            + "\n--- containerd output (tail) ---\n" + (daemon?.Tail(4000) ?? "(not started)")
            + "\n--- server output (tail) ---\n" + (server.Length <= 6000 ? server : "…" + server[^6000..]));
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
}
