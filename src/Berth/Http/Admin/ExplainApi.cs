using System.Text.Json;
using Berth.Auth;
using Berth.Federation.Explain;
using Berth.Federation.Robots;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>POST /api/v1/explain</c>: a workload token (validated with the live key caches) or a bare claims
/// document, against every robot or one, with each rule's value found and verdict. Admin only: it
/// shows the rule details the token service never reveals. The answer is <see cref="TokenExplainer"/>'s: the
/// token service's own verdict (<c>outcome</c> matched or refused, with the <c>rejection</c> reason code).
/// With <c>draft</c> (a robot as <c>POST /robots</c> takes it) the token is checked against that unsaved
/// robot alone: the console's rule tester shows each rule's verdict while it is being written.
/// </summary>
internal static class ExplainApi
{
    public static RouteGroupBuilder MapExplainApi(this RouteGroupBuilder api)
    {
        api.MapPost("/explain", ExplainAsync).WithTags("explain").WithMetadata(ChangesNothing.Instance);
        return api;
    }

    private static async Task<Results<Ok<TokenExplanation>, BadRequest<AdminErrors>>> ExplainAsync(ExplainRequest request, FederationState state, CancellationToken cancellationToken)
    {
        if ((request.Token is null) == (request.Claims is null))
        {
            return TypedResults.BadRequest(AdminErrors.Of("give exactly one of token (a workload JWT) or claims (a JSON object)"));
        }

        var snapshot = state.Current;
        var matcher = snapshot.Matcher;
        if (request.Draft is { } draft)
        {
            if (request.Robot is not null)
            {
                return TypedResults.BadRequest(AdminErrors.Of("give robot (a saved robot) or draft (an unsaved one), not both"));
            }

            var draftName = string.IsNullOrWhiteSpace(draft.Name) ? "draft" : draft.Name;
            var (robot, errors) = FederationSetup.Draft(draft.ToSettings(draftName, secretHash: null), snapshot.Model);
            if (errors.Count > 0)
            {
                return TypedResults.BadRequest(new AdminErrors(errors));
            }

            matcher = new RobotMatcher([robot], snapshot.Model.IdentityProviders);
            request = request with { Robot = draftName };
        }
        else if (request.Robot is { } name && snapshot.Matcher.Find(name) is null)
        {
            return TypedResults.BadRequest(AdminErrors.Of($"robot '{name}' does not exist"));
        }

        if (request.Claims is { ValueKind: not JsonValueKind.Object })
        {
            return TypedResults.BadRequest(AdminErrors.Of("claims must be a JSON object"));
        }

        var explainer = new TokenExplainer(snapshot.Validator, matcher);
        return TypedResults.Ok(request.Claims is { } claims
            ? explainer.ExplainClaims(claims, request.Robot)
            : await explainer.ExplainTokenAsync(request.Token!, request.Robot, cancellationToken));
    }
}
