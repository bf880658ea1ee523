using System.Text.Json.Nodes;
using Berth.Deploy.Tests.Support;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Deploy.Tests;

/// <summary>
/// deploy/kubernetes rendered with `kubectl kustomize` (there is no cluster here): for the one-machine base and
/// the replicated overlay, the berth container's arguments and environment load the rendered berth.yaml with
/// --check-config, laid out as the kubelet would on the image's read-only root; probes, Service, NetworkPolicy
/// and PodDisruptionBudget point at what the container really serves. The base pod is also started and its
/// readiness probe's URL asked.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("base")]
    [InlineData("replicated")]
    public async Task Kustomization_Rendered_ContainerLoadsItsConfigWithCheckConfig(string overlay)
    {
        await using var temp = TempDirectory.Create("kustomize");
        var manifests = await Kustomization.RenderAsync(overlay, temp);
        var pod = Pod.Create(manifests, ContainerImage.Load(), await PublishedBerth.GetAsync(), temp);

        var check = await pod.Sandbox.RunAsync([.. pod.Command, "--check-config"], RunTimeout);

        Assert.True(check.Succeeded, check.Describe($"exited with {check.ExitCode}"));
        Assert.Contains("configuration ok", check.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("base")]
    [InlineData("replicated")]
    public async Task Kustomization_Rendered_ProbesServiceAndPolicyUseTheListenPort(string overlay)
    {
        await using var temp = TempDirectory.Create("kustomize");
        var manifests = await Kustomization.RenderAsync(overlay, temp);
        var pod = Pod.Create(manifests, ContainerImage.Load(), await PublishedBerth.GetAsync(), temp);
        var listenPort = pod.Sandbox.Environment["BERTH_SERVER__LISTEN"].Split(':')[^1];

        foreach (var probe in (string[])["startupProbe", "readinessProbe", "livenessProbe"])
        {
            Assert.Equal($"http://127.0.0.1:{listenPort}/healthz", pod.ProbeUrl(probe));
        }

        var service = manifests.OfKind("Service").Single();
        var targetPort = (string)service["spec"]!["ports"]![0]!["targetPort"]!;
        Assert.Contains(pod.Container["ports"]!.AsArray(), p => (string?)p!["name"] == targetPort && (string?)p["containerPort"] == listenPort);
        var ingress = manifests.Named("NetworkPolicy", "berth")["spec"]!["ingress"]!.AsArray();
        Assert.Contains(ingress.SelectMany(rule => rule!["ports"]!.AsArray()), p => (string?)p!["port"] == listenPort);
        Assert.All(manifests.OfKind("NetworkPolicy"), policy => AssertSelects(policy["spec"]!["podSelector"]!, pod));
        AssertSelects(service["spec"]!["selector"]!.AsObject() is var s ? new JsonObject { ["matchLabels"] = s.DeepClone() } : null!, pod);

        var security = pod.Container["securityContext"]!;
        Assert.Equal("true", (string?)security["readOnlyRootFilesystem"]);
        Assert.Equal("false", (string?)security["allowPrivilegeEscalation"]);
        Assert.Equal("true", (string?)pod.PodSpec["securityContext"]!["runAsNonRoot"]);
        Assert.NotNull(pod.Container["resources"]!["requests"]!["memory"]);
    }

    [Fact]
    public async Task BasePod_Started_AnswersItsReadinessProbe()
    {
        await using var temp = TempDirectory.Create("kustomize");
        var manifests = await Kustomization.RenderAsync("base", temp);
        var pod = Pod.Create(manifests, ContainerImage.Load(), await PublishedBerth.GetAsync(), temp);
        var health = new[] { pod.Command[0], "health", "--url", pod.ProbeUrl("readinessProbe") };

        var run = await pod.Sandbox.RunAsync(Sandbox.ServeAndCheck(pod.Command, health), RunTimeout);

        var output = run.StandardOutput + run.StandardError;
        Assert.True(output.Contains("HEALTHY", StringComparison.Ordinal), run.Describe("never answered its readiness probe"));
        Assert.Contains("administrator login taken from BERTH_ADMIN_PASSWORD", output, StringComparison.Ordinal);
        Assert.Contains("SERVE EXIT 0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WRITABLE", output, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Combine("volumes", "data", "metadata.db")), "SQLite lives on the PersistentVolumeClaim");
    }

    [Fact]
    public async Task Base_OneMachine_OneReplicaOnAVolumeClaim()
    {
        await using var temp = TempDirectory.Create("kustomize");
        var manifests = await Kustomization.RenderAsync("base", temp);

        var spec = manifests.OfKind("Deployment").Single()["spec"]!;
        Assert.Equal("1", (string?)spec["replicas"]);
        Assert.Equal("Recreate", (string?)spec["strategy"]!["type"]);
        var claim = (string)spec["template"]!["spec"]!["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "data")!["persistentVolumeClaim"]!["claimName"]!;
        Assert.NotNull(manifests.Named("PersistentVolumeClaim", claim));
    }

    [Fact]
    public async Task Replicated_SeveralReplicas_DisruptionBudgetAndNoVolumeClaim()
    {
        await using var temp = TempDirectory.Create("kustomize");
        var manifests = await Kustomization.RenderAsync("replicated", temp);
        var pod = Pod.Create(manifests, ContainerImage.Load(), await PublishedBerth.GetAsync(), temp);

        var spec = manifests.OfKind("Deployment").Single()["spec"]!;
        Assert.True(int.Parse((string)spec["replicas"]!, System.Globalization.CultureInfo.InvariantCulture) > 1);
        Assert.Empty(manifests.OfKind("PersistentVolumeClaim"));
        var budget = manifests.OfKind("PodDisruptionBudget").Single()["spec"]!;
        AssertSelects(budget["selector"]!, pod);
        Assert.Equal("1", (string?)budget["maxUnavailable"]);
        Assert.Equal("postgres", ConfigValue(manifests, "storage", "metadata"));
        Assert.Equal("s3", ConfigValue(manifests, "storage", "blobs"));
        Assert.Contains("Host=db.example.com", pod.Sandbox.Environment["BERTH_STORAGE__POSTGRES__CONNECTIONSTRING"], StringComparison.Ordinal);
    }

    private static void AssertSelects(JsonNode selector, Pod pod)
    {
        var labels = pod.PodSpec.Parent!["metadata"]!["labels"]!.AsObject();
        foreach (var (key, value) in selector["matchLabels"]!.AsObject())
        {
            Assert.Equal((string?)value, (string?)labels[key]);
        }
    }

    private static string? ConfigValue(Kustomization manifests, string section, string key)
    {
        var yaml = (string)manifests.OfKind("ConfigMap").Single()["data"]!["berth.yaml"]!;
        var document = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(yaml);
        return ((Dictionary<object, object>)document[section])[key] as string;
    }
}
