using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// Debian's docker CLI (<c>/usr/bin/docker</c>, not whatever client comes first on PATH) bound to
/// one daemon socket, with its logins in a private <c>DOCKER_CONFIG</c> folder. Every call is
/// bounded by <see cref="Command.DefaultTimeout"/>.
/// </summary>
internal sealed partial class DockerClient
{
    public const string Binary = "/usr/bin/docker";
    private readonly string socket;
    private readonly string directory;
    private readonly Func<string> failureContext;
    private readonly Dictionary<string, string> environment;

    public DockerClient(string socket, string directory, Func<string> failureContext)
    {
        this.socket = socket;
        this.directory = directory;
        this.failureContext = failureContext;
        Directory.CreateDirectory(ConfigDirectory);
        environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = ConfigDirectory };
    }

    public string ConfigDirectory => Path.Combine(directory, "config");

    /// <summary>Where <c>docker login</c> keeps credentials (no credential helper is configured).</summary>
    public string ConfigFile => Path.Combine(ConfigDirectory, "config.json");

    /// <summary>Runs docker and fails the test with its stderr, dockerd's and the server's output if it does not exit 0.</summary>
    public async Task<CommandResult> RunAsync(params string[] arguments) => await RunWithInputAsync(null, arguments);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="standardInput"/> on stdin (<c>login --password-stdin</c>).</summary>
    public async Task<CommandResult> RunWithInputAsync(string? standardInput, params string[] arguments)
    {
        var result = await TryRunWithInputAsync(standardInput, arguments);
        return result.Succeeded ? result : throw new XunitException(result.Describe($"exited with {result.ExitCode}") + "\n" + failureContext());
    }

    /// <summary>Runs docker and returns its result whatever the exit code (for expected failures).</summary>
    public Task<CommandResult> TryRunAsync(params string[] arguments) => TryRunWithInputAsync(null, arguments);

    public Task<CommandResult> TryRunWithInputAsync(string? standardInput, params string[] arguments) =>
        Command.RunAsync(Binary, ["-H", $"unix://{socket}", .. arguments], environment, Command.DefaultTimeout, standardInput, CancellationToken.None);

    /// <summary>
    /// `docker import` of a one-file tar of random bytes as <paramref name="reference"/>: an image
    /// made without network whose layer no other test shares.
    /// </summary>
    public async Task ImportAsync(string reference)
    {
        var tar = Path.Combine(directory, $"{Guid.NewGuid():N}.tar");
        await using (var file = File.Create(tar))
        await using (var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "payload.bin")
            {
                DataStream = new MemoryStream(RandomNumberGenerator.GetBytes(16 * 1024)),
            };
            await writer.WriteEntryAsync(entry, CancellationToken.None);
        }
        await RunAsync("import", tar, reference);
    }

    /// <summary>`docker push`, returning the manifest digest it reports (`TAG: digest: sha256:… size: N`).</summary>
    public async Task<string> PushAsync(string reference)
    {
        var push = await RunAsync("push", reference);
        var match = PushedDigest().Match(push.StandardOutput);
        return match.Success ? match.Groups[1].Value : throw new XunitException(push.Describe("printed no digest"));
    }

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex PushedDigest();
}
