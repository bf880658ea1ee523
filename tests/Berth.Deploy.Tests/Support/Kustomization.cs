using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;
using Berth.Interop.Tests.QuickStart;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Berth.Deploy.Tests.Support;

/// <summary>
/// deploy/kubernetes rendered by `kubectl kustomize` (Debian's kubernetes-client, /usr/bin/kubectl) from a copy
/// holding the secrets an operator writes first (admin.env, postgres.env, signing.pem), as JSON objects.
/// </summary>
internal sealed class Kustomization
{
    public const string Kubectl = "/usr/bin/kubectl";

    private Kustomization(IReadOnlyList<JsonObject> objects) => Objects = objects;

    public IReadOnlyList<JsonObject> Objects { get; }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Named(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => (string?)o["metadata"]!["name"] == name)
        ?? throw new InvalidOperationException($"the rendered manifests have no {kind} {name}");

    public static async Task<Kustomization> RenderAsync(string overlay, TempDirectory temp)
    {
        DebianPackage.Require("kubernetes-client", Kubectl);
        var copy = temp.Combine("kubernetes");
        CopyTree(Path.Combine(RepositoryRoot.Find(), "deploy", "kubernetes"), copy);
        await File.WriteAllTextAsync(Path.Combine(copy, "base", "admin.env"), "password=deploy-test-password\n");
        await File.WriteAllTextAsync(Path.Combine(copy, "replicated", "postgres.env"), "connectionString=Host=db.example.com;Database=berth;Username=berth;Password=deploy-test\n");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(Path.Combine(copy, "replicated", "signing.pem"), key.ExportPkcs8PrivateKeyPem());
        }

        var rendered = (await Command.RunAsync(Kubectl, ["kustomize", Path.Combine(copy, overlay)], null, TimeSpan.FromMinutes(1), CancellationToken.None)).EnsureSuccess();
        return new Kustomization(Parse(rendered.StandardOutput));
    }

    private static List<JsonObject> Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var json = new SerializerBuilder().JsonCompatible().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var objects = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (deserializer.Deserialize(parser) is { } document)
            {
                objects.Add(JsonNode.Parse(json.Serialize(document))!.AsObject());
            }
        }

        return objects;
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
            CopyTree(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
