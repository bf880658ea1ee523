using Berth.Interop.Tests.QuickStart;

namespace Berth.Deploy.Tests.Support;

/// <summary>The runtime stage of deploy/Dockerfile: what a container of the image runs, as whom, with what environment.</summary>
internal sealed class ContainerImage
{
    private ContainerImage(Dockerfile.Stage stage)
    {
        Stage = stage;
        Environment = stage.Environment(AspNetBaseImage.Environment);
        Uid = int.Parse(Dockerfile.Stage.Expand(stage.Last("USER"), Environment), System.Globalization.CultureInfo.InvariantCulture);
        WorkingDirectory = stage.Last("WORKDIR");
        Entrypoint = Dockerfile.ExecForm(stage.Last("ENTRYPOINT"));
        Cmd = Dockerfile.ExecForm(stage.Last("CMD"));
        var health = stage.Last("HEALTHCHECK");
        HealthCheck = Dockerfile.ExecForm(health[(health.IndexOf("CMD [", StringComparison.Ordinal) + 4)..]);
        var copy = stage.All("COPY").Single(c => c.Arguments.StartsWith("--from=build ", StringComparison.Ordinal)).Arguments.Split(' ');
        (CopiedFrom, AppPath) = (copy[1], copy[2]);
    }

    public Dockerfile.Stage Stage { get; }

    public Dictionary<string, string> Environment { get; }

    public int Uid { get; }

    public string WorkingDirectory { get; }

    public IReadOnlyList<string> Entrypoint { get; }

    public IReadOnlyList<string> Cmd { get; }

    public IReadOnlyList<string> HealthCheck { get; }

    /// <summary>The build stage's folder the runtime stage copies, and where it lands in the image.</summary>
    public string CopiedFrom { get; }

    public string AppPath { get; }

    public static ContainerImage Load() =>
        new(Dockerfile.Load(Path.Combine(RepositoryRoot.Find(), "deploy", "Dockerfile")).Final);

    /// <summary>A sandbox laid out as a container of this image: the published Berth at the image's path, read-only.</summary>
    public Sandbox NewContainer(PublishedBerth.Publication published, int? uid = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.Equal(published.BuildStagePath, CopiedFrom);
        var merged = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        return new Sandbox(uid ?? Uid, WorkingDirectory, merged).ReadOnly(published.Folder, AppPath);
    }
}
