using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Berth.CredentialProvider.Tests.Published;

/// <summary>
/// The Native AOT-published <c>berth-credential-provider</c>, published once per test process into
/// <c>artifacts/credential-provider/&lt;rid&gt;/</c> at the repository root, or taken from
/// <c>BERTH_CREDENTIAL_PROVIDER_BIN</c> when CI has published it already.
/// Public and free of other test types so another test project (the end-to-end pull through
/// <c>berth serve</c>) can link this file and <see cref="PluginProcess"/> and reuse the binary.
/// Publishing needs clang on the machine (Debian: <c>apt-get install clang zlib1g-dev</c>).
/// </summary>
public static class CredentialProviderBinary
{
    public const string OverrideVariable = "BERTH_CREDENTIAL_PROVIDER_BIN";

    public const string FileName = "berth-credential-provider";

    public static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Path of the published executable; publishes on first call, then returns the same path.</summary>
    public static string GetPath() => Published.Value;

    public static string RuntimeIdentifier =>
        RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    private static string Publish()
    {
        var preset = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(preset))
        {
            return File.Exists(preset)
                ? Path.GetFullPath(preset)
                : throw new FileNotFoundException($"{OverrideVariable} points to a missing file", preset);
        }

        var root = FindRepositoryRoot();
        var output = Path.Combine(root, "artifacts", "credential-provider", RuntimeIdentifier);
        var project = Path.Combine(root, "src", "Berth.CredentialProvider", "Berth.CredentialProvider.csproj");

        // Test projects may run in parallel processes; only one may publish into the plugin's obj/ at a time.
        using var gate = new Mutex(false, "berth-credential-provider-publish");
        try
        {
            if (!gate.WaitOne(PublishTimeout))
            {
                throw new TimeoutException("another test process has been publishing the credential provider for too long");
            }
        }
        catch (AbandonedMutexException)
        {
            // The previous holder died; the mutex is ours now and a fresh publish repairs its output.
        }

        try
        {
            RunPublish(project, output);
        }
        finally
        {
            gate.ReleaseMutex();
        }

        var binary = Path.Combine(output, FileName);
        return File.Exists(binary) ? binary : throw new FileNotFoundException("dotnet publish produced no binary", binary);
    }

    private static void RunPublish(string project, string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["publish", project, "-c", "Release", "-r", RuntimeIdentifier, "-o", output, "--disable-build-servers", "-nologo"])
        {
            start.ArgumentList.Add(argument);
        }

        // The test host inherits MSBuild variables from `dotnet test`; a nested build must choose its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet publish");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(PublishTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"dotnet publish of the credential provider took longer than {PublishTimeout}");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet publish -r {RuntimeIdentifier} failed ({process.ExitCode}); Native AOT needs clang (apt-get install clang zlib1g-dev):\n{stdout.Result}\n{stderr.Result}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Berth.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Berth.slnx above {AppContext.BaseDirectory}");
    }
}
