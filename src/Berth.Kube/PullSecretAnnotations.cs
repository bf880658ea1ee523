using System.Globalization;

namespace Berth.Kube;

/// <summary>
/// What the refresher records on the Secret for operators: where the credential is from and until
/// when it works. Facts about the registry and the workload only; never the token, never rule details.
/// </summary>
internal static class PullSecretAnnotations
{
    public const string Prefix = "berth.dev/";
    public const string Registry = Prefix + "registry";
    public const string Service = Prefix + "service";
    public const string RefreshedAt = Prefix + "refreshed-at";
    public const string ExpiresAt = Prefix + "refresh-token-expires-at";
    public const string WorkloadSubject = Prefix + "workload-subject";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedBy = "berth-refresh-pull-secret";

    public static Dictionary<string, string> For(PullSecretRefreshOptions options, RegistryCredential credential, string? workloadSubject)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Registry] = options.RegistryKey,
            [Service] = credential.Service,
            [RefreshedAt] = Format(credential.IssuedAt),
        };
        if (credential.RefreshExpiresAt is { } expires)
        {
            annotations[ExpiresAt] = Format(expires);
        }

        if (workloadSubject is not null)
        {
            annotations[WorkloadSubject] = workloadSubject;
        }

        return annotations;
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
