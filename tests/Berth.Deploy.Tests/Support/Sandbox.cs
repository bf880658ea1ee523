using System.Runtime.InteropServices;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Deploy.Tests.Support;

/// <summary>
/// A container stand-in made with bubblewrap: an empty root with the machine's /usr (its .NET runtime standing
/// in for the image's /usr/share/dotnet), the given folders bound read-only or writable, the root then remounted
/// read-only (so /, /tmp and the home folder cannot be written), a uid of its own, a private network
/// (0.0.0.0:5000 inside touches nothing outside) and exactly the given environment.
/// </summary>
internal sealed class Sandbox
{
    public const string Bwrap = "/usr/bin/bwrap";

    private readonly List<string> layout = [];

    public Sandbox(int uid, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        Uid = uid;
        WorkingDirectory = workingDirectory;
        Environment = new Dictionary<string, string>(environment, StringComparer.Ordinal);
    }

    public int Uid { get; }

    public string WorkingDirectory { get; }

    public Dictionary<string, string> Environment { get; }

    public Sandbox ReadOnly(string source, string target) => Add("--ro-bind", source, target);

    public Sandbox Writable(string source, string target) => Add("--bind", source, target);

    public Sandbox Symlink(string target, string link) => Add("--dir", Path.GetDirectoryName(link)!).Add("--symlink", target, link);

    public async Task<CommandResult> RunAsync(IReadOnlyList<string> command, TimeSpan timeout)
    {
        DebianPackage.Require("bubblewrap", Bwrap);
        // No --die-with-parent: it is PR_SET_PDEATHSIG, which fires when the *thread* that started bwrap ends, and
        // .NET starts processes from pool threads that retire. Command's timeout kills the whole tree instead.
        var arguments = new List<string> { "--unshare-all", "--unshare-user", "--uid", $"{Uid}", "--gid", $"{Uid}" };
        foreach (var folder in (string[])["/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib64", "/usr/share"])
        {
            if (Directory.Exists(folder))
            {
                arguments.AddRange(["--ro-bind", folder, folder]);
            }
        }

        foreach (var link in (string[])["bin", "sbin", "lib", "lib64"])
        {
            arguments.AddRange(["--symlink", $"usr/{link}", $"/{link}"]);
        }

        var environment = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        var dotnetRoot = DotnetRoot();
        if (!dotnetRoot.StartsWith("/usr/share/", StringComparison.Ordinal) && dotnetRoot != "/usr/share/dotnet")
        {
            // The image's runtime is at /usr/share/dotnet; a machine with .NET elsewhere lends its own, by DOTNET_ROOT.
            arguments.AddRange(["--ro-bind", dotnetRoot, dotnetRoot]);
            environment["DOTNET_ROOT"] = dotnetRoot;
        }

        arguments.AddRange(["--proc", "/proc", "--dev", "/dev", "--dir", "/tmp", "--dir", "/home/app"]);
        arguments.AddRange(layout);
        arguments.AddRange(["--remount-ro", "/", "--chdir", WorkingDirectory, "--clearenv"]);
        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        arguments.AddRange(command);
        return await Command.RunAsync(Bwrap, arguments, null, timeout, CancellationToken.None);
    }

    /// <summary>A POSIX shell word for <paramref name="value"/>.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// A script that starts <paramref name="server"/>, runs <paramref name="check"/> until it exits 0 (printing
    /// HEALTHY) or 120 tries, then stops the server with SIGTERM as a container runtime does and prints its exit code.
    /// </summary>
    public static IReadOnlyList<string> ServeAndCheck(IEnumerable<string> server, IEnumerable<string> check) =>
    [
        "/bin/sh", "-c",
        $$"""
        for p in / /tmp /home/app /app /etc/berth; do if [ -d "$p" ] && touch "$p/.write-test" 2>/dev/null; then echo "WRITABLE $p"; fi; done
        {{string.Join(' ', server.Select(Quote))}} & pid=$!
        i=0
        while [ $i -lt 120 ]; do
          if {{string.Join(' ', check.Select(Quote))}}; then echo HEALTHY; break; fi
          kill -0 $pid 2>/dev/null || break
          i=$((i + 1)); sleep 0.5
        done
        kill -TERM $pid 2>/dev/null; wait $pid; echo "SERVE EXIT $?"
        """,
    ];

    private Sandbox Add(params string[] arguments)
    {
        layout.AddRange(arguments);
        return this;
    }

    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
}
