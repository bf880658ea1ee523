using System.Text;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Deploy.Tests.Support;

/// <summary>
/// The berth container of a rendered Deployment, laid out as the kubelet would: each ConfigMap and Secret volume
/// written to a folder and mounted at its mountPath, emptyDir and PVC volumes as writable folders, the env
/// resolved from literal values and secretKeyRef/configMapKeyRef, the image's ENTRYPOINT with the container's
/// args, the pod's runAsUser, on the image's read-only root.
/// </summary>
internal sealed class Pod
{
    private Pod(JsonObject container, JsonObject podSpec, Sandbox sandbox, IReadOnlyList<string> command)
    {
        Container = container;
        PodSpec = podSpec;
        Sandbox = sandbox;
        Command = command;
    }

    public JsonObject Container { get; }

    public JsonObject PodSpec { get; }

    public Sandbox Sandbox { get; }

    /// <summary>What the container runs: the image's ENTRYPOINT (unless command is set) with the container's args (else CMD).</summary>
    public IReadOnlyList<string> Command { get; }

    public static Pod Create(Kustomization manifests, ContainerImage image, PublishedBerth.Publication published, TempDirectory temp)
    {
        var deployment = manifests.OfKind("Deployment").Single();
        var podSpec = deployment["spec"]!["template"]!["spec"]!.AsObject();
        var container = podSpec["containers"]!.AsArray().Single()!.AsObject();

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container["env"]?.AsArray() ?? [])
        {
            var name = (string)variable!["name"]!;
            var from = variable["valueFrom"];
            environment[name] = from is null
                ? (string?)variable["value"] ?? string.Empty
                : from["secretKeyRef"] is { } secret
                    ? SecretValue(manifests, (string)secret["name"]!, (string)secret["key"]!)
                    : (string)manifests.Named("ConfigMap", (string)from["configMapKeyRef"]!["name"]!)["data"]![(string)from["configMapKeyRef"]!["key"]!]!;
        }

        var uid = int.Parse((string)podSpec["securityContext"]!["runAsUser"]!, System.Globalization.CultureInfo.InvariantCulture);
        var sandbox = image.NewContainer(published, uid, environment);
        foreach (var mount in container["volumeMounts"]!.AsArray())
        {
            var name = (string)mount!["name"]!;
            var volume = podSpec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == name)!;
            var folder = Directory.CreateDirectory(temp.Combine("volumes", name)).FullName;
            if (volume["configMap"] is { } configMap)
            {
                foreach (var (key, value) in manifests.Named("ConfigMap", (string)configMap["name"]!)["data"]!.AsObject())
                {
                    File.WriteAllText(Path.Combine(folder, key), (string)value!);
                }

                sandbox.ReadOnly(folder, (string)mount["mountPath"]!);
            }
            else if (volume["secret"] is { } secret)
            {
                foreach (var (key, _) in manifests.Named("Secret", (string)secret["secretName"]!)["data"]!.AsObject())
                {
                    File.WriteAllText(Path.Combine(folder, key), SecretValue(manifests, (string)secret["secretName"]!, key));
                }

                sandbox.ReadOnly(folder, (string)mount["mountPath"]!);
            }
            else if (volume["emptyDir"] is not null || volume["persistentVolumeClaim"] is not null)
            {
                sandbox.Writable(folder, (string)mount["mountPath"]!);
            }
            else
            {
                throw new InvalidOperationException($"volume {name}: a kind these tests do not lay out");
            }
        }

        IReadOnlyList<string> entrypoint = container["command"]?.AsArray().Select(w => (string)w!).ToList() ?? image.Entrypoint;
        IReadOnlyList<string> args = container["args"]?.AsArray().Select(w => (string)w!).ToList() ?? image.Cmd;
        return new Pod(container, podSpec, sandbox, [.. entrypoint, .. args]);
    }

    /// <summary>The URL a probe asks, as seen from inside the pod (its port resolved from the container's named ports).</summary>
    public string ProbeUrl(string probe)
    {
        var httpGet = Container[probe]!["httpGet"]!;
        var port = (string)httpGet["port"]!;
        var number = Container["ports"]!.AsArray().SingleOrDefault(p => (string?)p!["name"] == port)?["containerPort"] is { } named ? (string)named! : port;
        return $"http://127.0.0.1:{number}{(string)httpGet["path"]!}";
    }

    private static string SecretValue(Kustomization manifests, string name, string key) =>
        Encoding.UTF8.GetString(Convert.FromBase64String((string)manifests.Named("Secret", name)["data"]![key]!));
}
