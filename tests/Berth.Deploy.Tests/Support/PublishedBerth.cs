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

        // One copy at a time (sources, obj/, ~100 MB of output), in the git-ignored artifacts/, replaced by the next run.
        var work = Path.Combine(root, "artifacts", "deploy-test");
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

        var app = Path.Combine(work, "app");
        publish[output] = app;

        // The MSBuild variables `dotnet test` leaves in this process are not the Docker build's: a nested publish chooses its own.
        var clean = string.Join(' ', publish.Select(Sandbox.Quote));
        (await Command.RunAsync(
            "bash",
            ["-c", $"cd {Sandbox.Quote(source)} && for name in $(compgen -e | grep -iE '^MSBuild'); do unset \"$name\"; done; exec {clean} --disable-build-servers"],
            new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            PublishTimeout, CancellationToken.None)).EnsureSuccess();
        return new Publication(app, imagePath);
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
