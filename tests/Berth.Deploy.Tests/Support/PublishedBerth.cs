using Berth.Interop.Tests.Infrastructure;
using Berth.Interop.Tests.QuickStart;

namespace Berth.Deploy.Tests.Support;

/// <summary>
/// Berth published by deploy/Dockerfile's own build stage, once per test run: the files its COPY lines name are
/// copied (without bin/ and obj/, as Dockerfile.dockerignore says) into artifacts/deploy-test standing in for WORKDIR,
/// and its `RUN dotnet publish …` runs there with only the output folder moved to a temp folder.
/// </summary>
internal static class PublishedBerth
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);

    private static readonly Lazy<Task<Publication>> Published = new(PublishAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<Publication> GetAsync() => Published.Value;

    /// <summary>A folder that already holds this publish (a developer's loop); the Dockerfile's command is skipped.</summary>
    public const string OverrideVariable = "BERTH_DEPLOY_PUBLISHED";

    private static async Task<Publication> PublishAsync()
    {
        var root = RepositoryRoot.Find();
        var build = Dockerfile.Load(Path.Combine(root, "deploy", "Dockerfile")).Stages[0];
        var publish = build.All("RUN").Single(r => r.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal)).Arguments.Split(' ').ToList();
        var output = publish.IndexOf("-o") + 1;
        var imagePath = publish[output];
        if (Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } preset)
        {
            return new Publication(preset, imagePath);
        }

        var work = Path.Combine(root, "artifacts", "deploy-test");
        var source = CopySources(build, root, work);
        var app = Path.Combine(work, "app");
        publish[output] = app;
        await RunPublishAsync(source, publish);
        return new Publication(app, imagePath);
    }

    /// <summary>
    /// The opt-in trimmed, self-contained publish of docs/operations.md ("Memory"), `-p:BerthTrimmed=true`, from the
    /// same copy of the sources as the Dockerfile's build stage uses, once per test run.
    /// </summary>
    public static Task<string> GetTrimmedAsync() => Trimmed.Value;

    private static readonly Lazy<Task<string>> Trimmed = new(PublishTrimmedAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private static async Task<string> PublishTrimmedAsync()
    {
        var root = RepositoryRoot.Find();
        var build = Dockerfile.Load(Path.Combine(root, "deploy", "Dockerfile")).Stages[0];
        var work = Path.Combine(root, "artifacts", "deploy-test-trimmed");
        var source = CopySources(build, root, work);
        var app = Path.Combine(work, "app");
        await RunPublishAsync(source, ["dotnet", "publish", "src/Berth", "-c", "Release", "-r", "linux-x64", "-p:BerthTrimmed=true", "-o", app]);
        return app;
    }

    /// <summary>Copies the files the build stage's COPY lines name into <paramref name="work"/>/src-root; returns that folder.</summary>
    private static string CopySources(Dockerfile.Stage build, string root, string work)
    {
        // One copy at a time (sources, obj/, ~100 MB of output), in the git-ignored artifacts/, replaced by the next run.
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(work);
        var source = Path.Combine(work, "src-root");
        foreach (var copy in build.All("COPY"))
        {
            var words = copy.Arguments.Split(' ');
            var destination = Path.Combine(source, words[^1].TrimEnd('/'));
            foreach (var item in words[..^1])
            {
                var from = Path.Combine(root, item.TrimEnd('/'));
                if (Directory.Exists(from))
                {
                    CopyTree(from, destination);
                }
                else
                {
                    Directory.CreateDirectory(destination);
                    File.Copy(from, Path.Combine(destination, Path.GetFileName(from)));
                }
            }
        }

        return source;
    }

    private static async Task RunPublishAsync(string source, IEnumerable<string> publish)
    {
        // The MSBuild variables `dotnet test` leaves in this process are not the Docker build's: a nested publish chooses its own.
        var clean = string.Join(' ', publish.Select(Sandbox.Quote));
        (await Command.RunAsync(
            "bash",
            ["-c", $"cd {Sandbox.Quote(source)} && for name in $(compgen -e | grep -iE '^MSBuild'); do unset \"$name\"; done; exec {clean} --disable-build-servers"],
            new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            PublishTimeout, CancellationToken.None)).EnsureSuccess();
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(folder);
            if (name is not ("bin" or "obj" or "data"))
            {
                CopyTree(folder, Path.Combine(to, name));
            }
        }
    }

    /// <param name="Folder">where the publish went on this machine</param>
    /// <param name="BuildStagePath">the folder the Dockerfile published into, which its runtime stage copies</param>
    internal sealed record Publication(string Folder, string BuildStagePath);
}
