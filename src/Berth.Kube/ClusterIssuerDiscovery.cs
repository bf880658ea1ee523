using System.ComponentModel;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Exceptions;

namespace Berth.Kube;

/// <summary>
/// Reads a cluster's service-account issuer (<c>/.well-known/openid-configuration</c>) and keys
/// (<c>/openid/v1/jwks</c>) through its API server with a kubeconfig's credentials, as
/// <c>kubectl get --raw</c> does: the way to trust a private cluster whose issuer Berth cannot reach.
/// </summary>
/// <remarks>
/// The client's generated calls for these two paths try to deserialize the JSON into a string and fail
/// (kubernetes-client/csharp#969), so the requests are raw, signed by the client's own credentials
/// (token, exec plugin or client certificate) and sent through its TLS-configured HttpClient.
/// </remarks>
public static class ClusterIssuerDiscovery
{
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string JwksPath = "/openid/v1/jwks";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <param name="kubeconfig">The kubeconfig file; null: <c>$KUBECONFIG</c>, then <c>~/.kube/config</c>.</param>
    /// <exception cref="ClusterDiscoveryFailure">With the message an administrator reads.</exception>
    public static async Task<ClusterIssuer> FetchAsync(string? kubeconfig, CancellationToken cancellationToken)
    {
        var (config, source) = await KubeconfigFile.LoadAsync(kubeconfig, cancellationToken);
        config.HttpClientTimeout = Timeout;
        using var client = new Kubernetes(config);
        var server = client.BaseUri.GetLeftPart(UriPartial.Authority);

        using var discovery = Parse(server, DiscoveryPath, await GetAsync(client, server, source, DiscoveryPath, cancellationToken));
        if (!discovery.RootElement.TryGetProperty("issuer", out var issuer) || issuer.ValueKind != JsonValueKind.String || issuer.GetString() is not { Length: > 0 } issuerText)
        {
            throw new ClusterDiscoveryFailure($"the cluster at {server} serves {DiscoveryPath} without an issuer: give --issuer (the API server's --service-account-issuer)");
        }

        var jwksText = await GetAsync(client, server, source, JwksPath, cancellationToken);
        using var jwks = Parse(server, JwksPath, jwksText);
        var keyIds = jwks.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array
            ? keys.EnumerateArray().Select(k => k.TryGetProperty("kid", out var kid) ? kid.GetString() ?? "?" : "?").ToList()
            : [];
        if (keyIds.Count == 0)
        {
            throw new ClusterDiscoveryFailure($"the cluster at {server} serves {JwksPath} without keys: check the API server's --service-account-key-file");
        }

        return new ClusterIssuer(server, issuerText, jwksText, keyIds);
    }

    /// <summary>Only the keys, as <c>berth kube sync-jwks</c> reads them from inside the cluster.</summary>
    /// <param name="kubeconfig">A kubeconfig file; null: the in-cluster configuration (the pod's service account).</param>
    /// <exception cref="ClusterDiscoveryFailure">With the message an operator reads.</exception>
    /// <exception cref="RefreshFailure">The client configuration is unusable.</exception>
    public static async Task<string> FetchJwksAsync(string? kubeconfig, CancellationToken cancellationToken)
    {
        var source = kubeconfig is not null ? $"kubeconfig {kubeconfig}" : "in-cluster configuration";
        using var client = KubernetesClientFactory.Create(kubeconfig);
        return await GetAsync(client, client.BaseUri.GetLeftPart(UriPartial.Authority), source, JwksPath, cancellationToken);
    }

    private static async Task<string> GetAsync(Kubernetes client, string server, string source, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, path.TrimStart('/')));
        try
        {
            if (client.Credentials is { } credentials)
            {
                await credentials.ProcessHttpRequestAsync(request, cancellationToken);
            }

            using var response = await client.HttpClient.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode ? body : throw Refused(server, source, path, response.StatusCode, body);
        }
        catch (HttpRequestException e)
        {
            throw new ClusterDiscoveryFailure($"cannot reach the cluster at {server} ({source}): {e.Message}; check the kubeconfig's context and your network (kubectl get --raw {path} must work)", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClusterDiscoveryFailure($"the cluster at {server} did not answer GET {path} within {Timeout.TotalSeconds:0} s: check the kubeconfig's context and your network", e);
        }
        catch (Exception e) when (e is KubeConfigException or Win32Exception)
        {
            // An exec credential plugin (aws, gke-gcloud-auth-plugin, kubelogin…) that is missing or failed.
            throw new ClusterDiscoveryFailure($"the credentials of {source} could not be obtained: {e.Message}", e);
        }
    }

    private static ClusterDiscoveryFailure Refused(string server, string source, string path, HttpStatusCode status, string body)
    {
        var said = StatusMessage(body);
        return status switch
        {
            HttpStatusCode.Unauthorized => new ClusterDiscoveryFailure(
                $"the cluster at {server} refused the credentials of {source} (401 Unauthorized{said}): log in to the cluster again; kubectl get --raw {path} must work"),
            HttpStatusCode.Forbidden => new ClusterDiscoveryFailure(
                $"the cluster at {server} refused GET {path} (403 Forbidden{said}): the ClusterRole system:service-account-issuer-discovery grants {DiscoveryPath} and {JwksPath}; bind it to your user, e.g. "
                + "kubectl create clusterrolebinding berth-issuer-discovery --clusterrole=system:service-account-issuer-discovery --user=YOU "
                + "(or --group=GROUP), or ask a cluster administrator for jwks.json (kubectl get --raw /openid/v1/jwks) and use --jwks-file"),
            HttpStatusCode.NotFound => new ClusterDiscoveryFailure(
                $"the cluster at {server} does not serve {path} (404 Not Found): service-account issuer discovery needs Kubernetes 1.21 or later; export the public keys another way and use --jwks-file"),
            _ => new ClusterDiscoveryFailure($"the cluster at {server} answered GET {path} with {(int)status} {status}{said}"),
        };
    }

    // kube-apiserver explains refusals in a Status object's message; anything else is shown shortened.
    private static string StatusMessage(string body)
    {
        try
        {
            using var status = JsonDocument.Parse(body);
            return status.RootElement.ValueKind == JsonValueKind.Object && status.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                ? ": " + message.GetString()
                : string.Empty;
        }
        catch (JsonException)
        {
            return body.Length == 0 ? string.Empty : ": " + body[..Math.Min(body.Length, 200)].Trim();
        }
    }

    private static JsonDocument Parse(string server, string path, string body)
    {
        try
        {
            var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
        }

        throw new ClusterDiscoveryFailure($"the cluster at {server} answered GET {path} with something other than a JSON object: is the kubeconfig's server a Kubernetes API server?");
    }
}
