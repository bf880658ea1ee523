using System.Security.Cryptography;
using Xunit.Sdk;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// Private state for one test's podman, buildah and skopeo calls: its own vfs storage
/// root, run root, auth file and temp folder, so tests never share images or logins.
/// Every call is bounded by <see cref="Command.DefaultTimeout"/> and fails the test with
/// the client's stderr and the tail of the server's output.
/// </summary>
internal sealed class ClientSandbox : IAsyncDisposable
{
    private readonly TempDirectory directory;
    private readonly Dictionary<string, string> environment;
    private readonly RegistryServer server;

    private ClientSandbox(TempDirectory directory, RegistryServer server)
    {
        this.directory = directory;
        this.server = server;
        var auth = directory.Combine("auth.json");
        File.WriteAllText(auth, """{"auths":{}}""");
        var tmp = directory.Combine("tmp");
        Directory.CreateDirectory(tmp);
        environment = new Dictionary<string, string>
        {
            ["REGISTRY_AUTH_FILE"] = auth,
            ["TMPDIR"] = tmp,
        };
    }

    public string Root => directory.Path;

    public static ClientSandbox Create(RegistryServer server) => new(TempDirectory.Create("clients"), server);

    public string PathOf(string name) => directory.Combine(name);

    public Task<CommandResult> BuildahAsync(params string[] arguments) =>
        RunAsync("buildah", [.. StorageOptions, .. arguments]);

    public Task<CommandResult> PodmanAsync(params string[] arguments) =>
        RunAsync("podman", [.. StorageOptions, "--cgroup-manager", "cgroupfs", "--events-backend", "none", .. arguments]);

    public Task<CommandResult> SkopeoAsync(params string[] arguments) =>
        RunAsync("skopeo", arguments);

    /// <summary>Runs a client and returns its result whatever the exit code (for expected failures).</summary>
    public Task<CommandResult> TrySkopeoAsync(params string[] arguments) =>
        Command.RunAsync("skopeo", arguments, environment, Command.DefaultTimeout, CancellationToken.None);

    /// <summary>Writes a file of random bytes into the sandbox and returns its path.</summary>
    public string WriteRandomFile(string name, int size)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        return path;
    }

    public ValueTask DisposeAsync() => directory.DisposeAsync();

    private string[] StorageOptions =>
        ["--root", PathOf("root"), "--runroot", PathOf("run"), "--storage-driver", "vfs"];

    private async Task<CommandResult> RunAsync(string client, string[] arguments)
    {
        var result = await Command.RunAsync(client, arguments, environment, Command.DefaultTimeout, CancellationToken.None);
        if (!result.Succeeded)
        {
            var log = server.Output;
            throw new XunitException(
                result.Describe($"exited with {result.ExitCode}") + "\n--- server output (tail) ---\n" + (log.Length <= 6000 ? log : "…" + log[^6000..]));
        }
        return result;
    }
}
