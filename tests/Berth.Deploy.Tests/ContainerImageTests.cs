using Berth.Deploy.Tests.Support;
using Berth.Interop.Tests.Infrastructure;
using Berth.Interop.Tests.QuickStart;

namespace Berth.Deploy.Tests;

/// <summary>
/// deploy/Dockerfile without Docker (no base image can be pulled here): its runtime stage is Microsoft's ASP.NET
/// image with a non-root user and a health check, and what its build stage publishes, started with its
/// entrypoint, command, user and environment on a read-only root with only the data folder writable, serves
/// /healthz and passes the image's own HEALTHCHECK.
/// </summary>
public sealed class ContainerImageTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void Dockerfile_RuntimeStage_IsAspNetAsNonRootWithBerthHealthCheck()
    {
        var dockerfile = Dockerfile.Load(Path.Combine(RepositoryRoot.Find(), "deploy", "Dockerfile"));
        var image = ContainerImage.Load();

        Assert.True(dockerfile.Stages.Count >= 2, "a multi-stage build: the SDK publishes, the runtime image runs");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", dockerfile.Stages[0].Image, StringComparison.Ordinal);
        Assert.Equal(AspNetBaseImage.Reference, dockerfile.Final.Image);
        Assert.Equal(AspNetBaseImage.AppUid, image.Uid);
        Assert.Equal(["/var/lib/berth"], dockerfile.Final.All("VOLUME").Select(v => v.Arguments));
        Assert.Equal("/var/lib/berth", image.Environment["BERTH_STORAGE__DATADIR"]);
        Assert.Equal([image.Entrypoint[0], "health"], image.HealthCheck.Take(2));
        Assert.EndsWith("/healthz", image.HealthCheck[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishedImage_ReadOnlyRootAsAppUser_ServesHealthzAndPassesItsHealthCheck()
    {
        var published = await PublishedBerth.GetAsync();
        var image = ContainerImage.Load();
        await using var temp = TempDirectory.Create("image");
        var config = Directory.CreateDirectory(temp.Combine("etc")).FullName;
        File.Copy(Path.Combine(RepositoryRoot.Find(), "deploy", "kubernetes", "base", "berth.yaml"), Path.Combine(config, "berth.yaml"));
        var data = Directory.CreateDirectory(temp.Combine("data")).FullName;
        var container = image.NewContainer(published, environment: new Dictionary<string, string> { ["BERTH_ADMIN_PASSWORD"] = "deploy-test-password" })
            .ReadOnly(config, "/etc/berth")
            .Writable(data, "/var/lib/berth");

        var run = await container.RunAsync(Sandbox.ServeAndCheck([.. image.Entrypoint, .. image.Cmd], image.HealthCheck), RunTimeout);

        var output = run.StandardOutput + run.StandardError;
        Assert.True(output.Contains("HEALTHY", StringComparison.Ordinal), run.Describe("never passed the image's HEALTHCHECK"));
        Assert.Contains("SERVE EXIT 0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WRITABLE", output, StringComparison.Ordinal);
        // Nothing the image sets is overridden behind the operator's back (Kestrel warns when ASPNETCORE_HTTP_PORTS is left set).
        Assert.DoesNotContain("warn:", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "metadata.db")), "the SQLite database is in the data volume");
    }

    [Fact]
    public async Task PublishedImage_ArbitraryUidInRootGroup_ServesHealthz()
    {
        // OpenShift runs images under a random uid with no passwd entry (the Dockerfile makes the data folder group-0
        // writable for it); Berth must not depend on being `app`.
        var published = await PublishedBerth.GetAsync();
        var image = ContainerImage.Load();
        await using var temp = TempDirectory.Create("image-uid");
        var config = Directory.CreateDirectory(temp.Combine("etc")).FullName;
        File.Copy(Path.Combine(RepositoryRoot.Find(), "deploy", "kubernetes", "base", "berth.yaml"), Path.Combine(config, "berth.yaml"));
        var container = image.NewContainer(published, uid: 1000620000)
            .ReadOnly(config, "/etc/berth")
            .Writable(Directory.CreateDirectory(temp.Combine("data")).FullName, "/var/lib/berth");

        var run = await container.RunAsync(Sandbox.ServeAndCheck([.. image.Entrypoint, .. image.Cmd], image.HealthCheck), RunTimeout);

        Assert.True((run.StandardOutput + run.StandardError).Contains("HEALTHY", StringComparison.Ordinal), run.Describe("never became healthy"));
    }
}
