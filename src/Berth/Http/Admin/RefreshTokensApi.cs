using Berth.Access.Refresh;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>DELETE /api/v1/refresh-tokens?robot=R | subject=S | issuer=I</c>: revokes the refresh tokens of a
/// robot, of one workload subject (all issuers), or of an issuer, e.g. after a workload or a cluster's
/// keys were compromised. Registry tokens already issued run out within their few minutes.
/// </summary>
internal static class RefreshTokensApi
{
    public static RouteGroupBuilder MapRefreshTokensApi(this RouteGroupBuilder api)
    {
        api.MapDelete("/refresh-tokens", RevokeAsync).WithTags("tokens")
            .WithSummary("Revoke the refresh tokens of one robot, subject or issuer (exactly one query parameter)");
        return api;
    }

    private static async Task<Results<Ok<RefreshTokensRevoked>, BadRequest<AdminErrors>>> RevokeAsync(
        string? robot, string? subject, string? issuer, IRefreshTokenStore store, CancellationToken cancellationToken)
    {
        var given = new[] { (RefreshTokenSelectorKind.Robot, robot), (RefreshTokenSelectorKind.Subject, subject), (RefreshTokenSelectorKind.Issuer, issuer) }
            .Where(s => s.Item2 is not null)
            .ToList();
        if (given.Count != 1 || string.IsNullOrWhiteSpace(given[0].Item2))
        {
            return TypedResults.BadRequest(AdminErrors.Of("give exactly one of robot, subject or issuer, e.g. DELETE /api/v1/refresh-tokens?robot=ci-push"));
        }

        var revoked = await store.RevokeRefreshTokensAsync(new RefreshTokenSelector(given[0].Item1, given[0].Item2!), cancellationToken);
        return TypedResults.Ok(new RefreshTokensRevoked(revoked));
    }
}

/// <param name="Revoked">How many refresh tokens were revoked.</param>
internal sealed record RefreshTokensRevoked(int Revoked);
