using System.Globalization;

namespace Berth.Kube;

/// <summary>The outcome of one refresh, for the log line; holds no secret.</summary>
internal sealed record RefreshSummary(bool Created, string Service, DateTimeOffset? ExpiresAt)
{
    public string Describe(PullSecretRefreshOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"{(Created ? "created" : "replaced")} Secret {options.Namespace}/{options.SecretName} for {options.RegistryKey} (service {Service}); refresh token expires {(ExpiresAt is { } at ? at.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) : "at a time the registry did not report")}");
}
