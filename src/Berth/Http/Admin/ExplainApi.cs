using System.Text.Json;
using Berth.Auth;
using Berth.Federation.Explain;
using Berth.Federation.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>POST /api/v1/explain</c>: a workload token (validated with the live key caches) or a bare claims
/// document, against every robot or one, with each rule's value found and verdict. Admin only: it
/// shows the rule details the token service never reveals.
/// </summary>
internal static class ExplainApi
{
    public static RouteGroupBuilder MapExplainApi(this RouteGroupBuilder api)
    {
        api.MapPost("/explain", ExplainAsync).WithTags("explain");
        return api;
    }

    private static async Task<Results<Ok<ExplainResult>, BadRequest<AdminErrors>>> ExplainAsync(ExplainRequest request, FederationState state, CancellationToken cancellationToken)
    {
        if ((request.Token is null) == (request.Claims is null))
        {
            return TypedResults.BadRequest(AdminErrors.Of("give exactly one of token (a workload JWT) or claims (a JSON object)"));
        }

        var snapshot = state.Current;
        var robots = snapshot.Model.Robots;
        if (request.Robot is { } name && snapshot.Matcher.Find(name) is null)
        {
            return TypedResults.BadRequest(AdminErrors.Of($"robot '{name}' does not exist"));
        }

        if (request.Claims is { } claims)
        {
            if (claims.ValueKind != JsonValueKind.Object)
            {
                return TypedResults.BadRequest(AdminErrors.Of("claims must be a JSON object"));
            }

            return TypedResults.Ok(new ExplainResult(false, "claims document (signature and expiry not checked)", null, Explainer.Explain(claims, robots, request.Robot)));
        }

        var result = await snapshot.Validator.ValidateAsync(request.Token!, cancellationToken);
        if (result.IsValid)
        {
            var token = result.Token;
            return TypedResults.Ok(new ExplainResult(
                true,
                $"token valid: issuer {token.Issuer} ({token.IdentityProvider}), subject {token.Subject}, expires {token.ExpiresAt:u}",
                null,
                Explainer.Explain(token, robots, request.Robot)));
        }

        var unverified = WorkloadTokenValidator.ReadUnverifiedClaims(request.Token!);
        return TypedResults.Ok(new ExplainResult(
            false,
            $"token REFUSED: {result.Rejection.Reason}: {result.Rejection.Message} (rules below use the unverified claims)",
            result.Rejection.Reason,
            unverified is { } document ? Explainer.Explain(document, robots, request.Robot) : new Explanation([])));
    }
}

internal sealed record ExplainRequest(string? Token, JsonElement? Claims, string? Robot);

/// <param name="Rejection">The reason code when the token was refused.</param>
internal sealed record ExplainResult(bool TokenValid, string Verdict, string? Rejection, Explanation Explanation);
