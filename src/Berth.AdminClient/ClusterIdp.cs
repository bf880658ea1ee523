using Berth.Kube;

namespace Berth.Cli.Admin;

/// <summary>
/// <c>berth idp add kubernetes --from-kubeconfig [PATH]</c>: reads the cluster's issuer and public keys
/// through its API server with the administrator's kubeconfig and creates the identity provider with the
/// keys pasted (static JWKS), so Berth never needs to reach a private cluster.
/// </summary>
internal static class ClusterIdp
{
    /// <param name="issuer">The administrator's <c>--issuer</c>; null: the one the cluster publishes.</param>
    public static async Task<int> AddAsync(string name, string? issuer, string[] audiences, string? kubeconfig, CancellationToken cancellationToken)
    {
        ClusterIssuer cluster;
        try
        {
            cluster = await ClusterIssuerDiscovery.FetchAsync(kubeconfig, cancellationToken);
        }
        catch (ClusterDiscoveryFailure e)
        {
            await Console.Error.WriteLineAsync("berth idp add kubernetes: " + e.Message);
            return ExitCodes.Error;
        }

        if (issuer is not null && issuer != cluster.Issuer)
        {
            // Kept, since the administrator said so, but tokens carry the cluster's iss and would all be refused.
            await Console.Error.WriteLineAsync($"berth idp add kubernetes: warning: the cluster at {cluster.Server} says its issuer is {cluster.Issuer}, not {issuer}; its tokens will be refused as unknown_issuer");
        }

        var trusted = issuer ?? cluster.Issuer;
        return await AdminCommand.RunAsync(
            HttpMethod.Post,
            "identity-providers",
            new { name, issuer = trusted, audiences, jwks = cluster.Jwks },
            null,
            $"identity provider {name} added (issuer {trusted}, keys {string.Join(", ", cluster.KeyIds)} read from {cluster.Server}); "
                + $"the keys are pasted, not fetched: let the cluster send new ones with key sync (berth kube sync-jwks, see docs/administration.md)",
            cancellationToken);
    }
}
