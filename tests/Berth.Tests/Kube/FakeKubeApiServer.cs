using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Kube;

/// <summary>
/// The part of a Kubernetes API server the refresher talks to: GET, POST and PUT of core/v1 Secrets
/// on 127.0.0.1 (dynamic port), answering as kube-apiserver does (Secret objects with uid and
/// resourceVersion, <c>Status</c> objects for 404, 409 and 403), and recording every request. Also the
/// service-account issuer discovery that <c>berth idp add kubernetes --from-kubeconfig</c> reads
/// (<c>/.well-known/openid-configuration</c>, <c>/openid/v1/jwks</c>).
/// </summary>
internal sealed class FakeKubeApiServer : IAsyncDisposable
{
    public const string BearerToken = "fake-refresher-sa-token";

    private readonly ConcurrentDictionary<(string Namespace, string Name), JsonObject> secrets = new();
    private readonly ConcurrentQueue<string> requests = new();
    private readonly WebApplication app;
    private long resourceVersion = 1000;

    private FakeKubeApiServer(WebApplication app)
    {
        this.app = app;
    }

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>When set, every Secret and discovery request is refused with this status (e.g. 403 Forbidden).</summary>
    public int? RefuseWith { get; set; }

    /// <summary>The issuer the discovery document names (the API server's --service-account-issuer).</summary>
    public string ServiceAccountIssuer { get; set; } = "https://kubernetes.default.svc.cluster.local";

    /// <summary>The JWKS served at <c>/openid/v1/jwks</c>; null answers 404 for both discovery paths, as a cluster without discovery.</summary>
    public string? ServiceAccountJwks { get; set; }

    /// <summary>How many PUTs to answer with 409 Conflict before accepting one (a concurrent writer).</summary>
    public int ConflictsBeforeReplace { get; set; }

    /// <summary>"METHOD path" of every request, in order.</summary>
    public IReadOnlyList<string> Requests => [.. requests];

    public static async Task<FakeKubeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeKubeApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public JsonObject? Secret(string ns, string name) => secrets.TryGetValue((ns, name), out var secret) ? (JsonObject)secret.DeepClone() : null;

    /// <summary>Puts a Secret in place as if someone had created it earlier.</summary>
    public void Seed(string ns, string name, JsonObject secret)
    {
        var metadata = secret["metadata"] as JsonObject ?? [];
        metadata["name"] = name;
        metadata["namespace"] = ns;
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["resourceVersion"] = NextVersion();
        metadata["creationTimestamp"] = "2025-01-01T00:00:00Z";
        secret["metadata"] = metadata;
        secret["kind"] = "Secret";
        secret["apiVersion"] = "v1";
        secrets[(ns, name)] = secret;
    }

    /// <summary>A kubeconfig file (in <paramref name="folder"/>) pointing at this server with a bearer token, as a service account's would.</summary>
    public async Task<string> WriteKubeconfigAsync(string folder)
    {
        var path = Path.Combine(folder, "kubeconfig");
        await File.WriteAllTextAsync(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: fake
                cluster:
                  server: {BaseUrl}
            users:
              - name: refresher
                user:
                  token: {BearerToken}
            contexts:
              - name: fake
                context:
                  cluster: fake
                  user: refresher
            current-context: fake
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        requests.Enqueue($"{request.Method} {request.Path}");
        if (request.Headers.Authorization != $"Bearer {BearerToken}")
        {
            await StatusAsync(context, 401, "Unauthorized", "Unauthorized", null);
            return;
        }

        if (request.Method == "GET" && request.Path.Value is "/.well-known/openid-configuration" or "/openid/v1/jwks")
        {
            await DiscoveryAsync(context, request.Path.Value);
            return;
        }

        var segments = request.Path.Value!.Trim('/').Split('/');
        if (segments.Length < 5 || segments[0] != "api" || segments[1] != "v1" || segments[2] != "namespaces" || segments[4] != "secrets" || segments.Length > 6)
        {
            await StatusAsync(context, 404, "NotFound", "the server could not find the requested resource", null);
            return;
        }

        var ns = segments[3];
        var name = segments.Length == 6 ? segments[5] : null;
        if (RefuseWith is { } refused)
        {
            var verb = request.Method switch { "GET" => "get", "POST" => "create", "PUT" => "update", _ => request.Method.ToLowerInvariant() };
            await StatusAsync(context, refused, "Forbidden", $"secrets{(name is null ? string.Empty : $" \"{name}\"")} is forbidden: User \"system:serviceaccount:{ns}:berth-refresher\" cannot {verb} resource \"secrets\" in API group \"\" in the namespace \"{ns}\"", name);
            return;
        }

        switch (request.Method, name)
        {
            case ("GET", { } found):
                if (secrets.TryGetValue((ns, found), out var secret))
                {
                    await JsonAsync(context, 200, secret);
                }
                else
                {
                    await StatusAsync(context, 404, "NotFound", $"secrets \"{found}\" not found", found);
                }

                return;
            case ("POST", null):
                {
                    var body = await ReadAsync(context);
                    var newName = body["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
                    if (secrets.ContainsKey((ns, newName)))
                    {
                        await StatusAsync(context, 409, "AlreadyExists", $"secrets \"{newName}\" already exists", newName);
                        return;
                    }

                    Seed(ns, newName, body);
                    await JsonAsync(context, 201, secrets[(ns, newName)]);
                    return;
                }

            case ("PUT", { } replaced):
                {
                    var body = await ReadAsync(context);
                    if (!secrets.TryGetValue((ns, replaced), out var current))
                    {
                        await StatusAsync(context, 404, "NotFound", $"secrets \"{replaced}\" not found", replaced);
                        return;
                    }

                    if (ConflictsBeforeReplace > 0)
                    {
                        ConflictsBeforeReplace--;
                        current["metadata"]!["resourceVersion"] = NextVersion(); // another writer got there first
                    }

                    if (body["metadata"]?["resourceVersion"]?.GetValue<string>() != current["metadata"]!["resourceVersion"]!.GetValue<string>())
                    {
                        await StatusAsync(context, 409, "Conflict", $"Operation cannot be fulfilled on secrets \"{replaced}\": the object has been modified; please apply your changes to the latest version and try again", replaced);
                        return;
                    }

                    body["metadata"]!["resourceVersion"] = NextVersion();
                    secrets[(ns, replaced)] = body;
                    await JsonAsync(context, 200, body);
                    return;
                }

            default:
                await StatusAsync(context, 405, "MethodNotAllowed", $"{request.Method} is not supported by this fake", name);
                return;
        }
    }

    private Task DiscoveryAsync(HttpContext context, string path)
    {
        if (RefuseWith is { } refused)
        {
            // Non-resource paths are authorized by path, so kube-apiserver's message names the path.
            return StatusAsync(context, refused, "Forbidden", $"forbidden: User \"system:serviceaccount:default:berth-admin\" cannot get path \"{path}\"", null);
        }

        if (ServiceAccountJwks is null)
        {
            return StatusAsync(context, 404, "NotFound", "the server could not find the requested resource", null);
        }

        return path == "/openid/v1/jwks"
            ? JsonAsync(context, 200, JsonNode.Parse(ServiceAccountJwks)!)
            : JsonAsync(context, 200, new JsonObject
            {
                ["issuer"] = ServiceAccountIssuer,
                ["jwks_uri"] = $"{BaseUrl}/openid/v1/jwks",
                ["response_types_supported"] = new JsonArray("id_token"),
                ["subject_types_supported"] = new JsonArray("public"),
                ["id_token_signing_alg_values_supported"] = new JsonArray("ES256", "RS256"),
            });
    }

    private string NextVersion() => Interlocked.Increment(ref resourceVersion).ToString(CultureInfo.InvariantCulture);

    private static async Task<JsonObject> ReadAsync(HttpContext context) =>
        (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();

    private static Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static Task StatusAsync(HttpContext context, int code, string reason, string message, string? name)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["details"] = name is null ? new JsonObject { ["kind"] = "secrets" } : new JsonObject { ["name"] = name, ["kind"] = "secrets" },
            ["code"] = code,
        };
        return JsonAsync(context, code, status);
    }
}
