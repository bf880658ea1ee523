using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Berth.Kube;

/// <summary>
/// Creates or replaces the <c>kubernetes.io/dockerconfigjson</c> Secret. Replacing keeps the
/// Secret's other labels, annotations and owners, and sends the <c>resourceVersion</c> it read, so a
/// concurrent writer makes the API server answer 409 and this run reads again (a few times, bounded).
/// Needs RBAC <c>get</c>, <c>create</c>, <c>update</c> on <c>secrets</c> in the namespace.
/// </summary>
internal sealed class PullSecretWriter(IKubernetes kubernetes)
{
    private const int MaxAttempts = 3;

    public async Task<bool> WriteAsync(string ns, string name, byte[] dockerConfigJson, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var existing = await ReadAsync(ns, name, cancellationToken);
                if (existing is null)
                {
                    var secret = new V1Secret
                    {
                        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                        Type = DockerConfigJson.SecretType,
                    };
                    Fill(secret, dockerConfigJson, annotations);
                    await kubernetes.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken);
                    return true;
                }

                if (existing.Type != DockerConfigJson.SecretType)
                {
                    throw new RefreshFailure($"Secret {ns}/{name} exists with type {existing.Type ?? "Opaque"}; a Secret's type cannot change: delete it, or choose another --secret");
                }

                Fill(existing, dockerConfigJson, annotations);
                await kubernetes.CoreV1.ReplaceNamespacedSecretAsync(existing, name, ns, cancellationToken: cancellationToken);
                return false;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                // Someone wrote the Secret between our read and our write (or created it first): read again.
            }
            catch (HttpOperationException e)
            {
                throw new RefreshFailure($"Kubernetes API refused Secret {ns}/{name}: {Describe(e)}", e);
            }
            catch (HttpRequestException e)
            {
                throw new RefreshFailure($"Kubernetes API unreachable: {e.Message}", e);
            }
        }
    }

    private async Task<V1Secret?> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await kubernetes.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static void Fill(V1Secret secret, byte[] dockerConfigJson, IReadOnlyDictionary<string, string> annotations)
    {
        secret.Data = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [DockerConfigJson.DataKey] = dockerConfigJson };
        secret.StringData = null;
        secret.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in secret.Metadata.Annotations.Keys.Where(k => k.StartsWith(PullSecretAnnotations.Prefix, StringComparison.Ordinal)).ToList())
        {
            secret.Metadata.Annotations.Remove(key); // drop stale facts, e.g. an expiry the server no longer reports
        }

        foreach (var (key, value) in annotations)
        {
            secret.Metadata.Annotations[key] = value;
        }

        secret.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        secret.Metadata.Labels[PullSecretAnnotations.ManagedByLabel] = PullSecretAnnotations.ManagedBy;
    }

    /// <summary>HTTP status plus the Status object's reason and message, as <c>kubectl</c> shows them.</summary>
    internal static string Describe(HttpOperationException e)
    {
        var status = $"{(int)e.Response.StatusCode} {e.Response.ReasonPhrase}".TrimEnd();
        try
        {
            using var document = JsonDocument.Parse(e.Response.Content ?? string.Empty);
            var root = document.RootElement;
            var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return $"{status}, reason {reason ?? "(none)"}: {message ?? "(no message)"}";
        }
        catch (JsonException)
        {
            return status;
        }
    }
}
