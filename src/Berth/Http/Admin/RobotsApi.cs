using Berth.Access.Refresh;
using Berth.Auth;
using Berth.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>/api/v1/robots</c>: federated robots (an identity provider and claim rules) and classic ones (a
/// secret, returned once). Changing, disabling or deleting a robot revokes its refresh tokens, and its
/// registry tokens stop working on the next request. Every robot view carries its lint
/// <c>warnings</c> (omitted when none), so a create or edit shows what <c>berth robot lint</c> would say.
/// </summary>
internal static class RobotsApi
{
    public static RouteGroupBuilder MapRobotsApi(this RouteGroupBuilder api)
    {
        var robots = api.MapGroup("/robots").WithTags("robots");
        robots.MapGet("/", List);
        robots.MapGet("/lint", RobotLintApi.LintAll);
        robots.MapPost("/lint", RobotLintApi.LintDraft).WithMetadata(ChangesNothing.Instance);
        robots.MapGet("/{name}", Show);
        robots.MapGet("/{name}/lint", RobotLintApi.Lint);
        robots.MapPost("/", CreateAsync);
        robots.MapPut("/{name}", ReplaceAsync);
        robots.MapDelete("/{name}", DeleteAsync);
        robots.MapPost("/{name}/enable", (string name, FederationState state, CancellationToken cancellationToken) => EditAsync(name, state, r => r with { Enabled = true }, cancellationToken));
        robots.MapPost("/{name}/disable", (string name, FederationState state, CancellationToken cancellationToken) => EditAsync(name, state, r => r with { Enabled = false }, cancellationToken));
        robots.MapPut("/{name}/rules", (string name, List<RuleModel> rules, FederationState state, CancellationToken cancellationToken) => EditAsync(name, state, r => r with { Rules = [.. rules.Select(rule => rule.ToSettings())] }, cancellationToken));
        robots.MapPut("/{name}/permissions", (string name, List<PermissionModel> permissions, FederationState state, CancellationToken cancellationToken) => EditAsync(name, state, r => r with { Permissions = [.. permissions.Select(p => p.ToSettings())] }, cancellationToken));
        robots.MapPost("/{name}/rotate-secret", RotateSecretAsync);
        return api;
    }

    private static Ok<IReadOnlyList<RobotView>> List(FederationState state)
    {
        var snapshot = state.Current;
        return TypedResults.Ok<IReadOnlyList<RobotView>>(snapshot.Model.Robots.Select(r => RobotView.Of(snapshot, r)).ToList());
    }

    private static Results<Ok<RobotView>, NotFound<AdminErrors>> Show(string name, FederationState state)
    {
        var snapshot = state.Current;
        return snapshot.Matcher.Find(name) is { } robot
            ? TypedResults.Ok(RobotView.Of(snapshot, robot))
            : TypedResults.NotFound(AdminErrors.Of($"robot '{name}' does not exist"));
    }

    private static async Task<Results<Created<RobotView>, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> CreateAsync(
        RobotCreateRequest request, FederationState state, CancellationToken cancellationToken)
    {
        if (request.Secret && request.IdentityProvider is not null)
        {
            return TypedResults.BadRequest(AdminErrors.Of("a robot is either federated (identityProvider and rules) or classic (secret: true), not both"));
        }

        var secret = request.Secret ? SecretHasher.Generate() : null;
        var settings = request.ToSettings(request.Name, secret is null ? null : SecretHasher.Hash(secret));
        var change = await state.PutAsync(ObjectKinds.Robot, request.Name, settings, create: true, cancellationToken);
        if (change.Outcome != FederationChangeOutcome.Applied)
        {
            return AdminErrors.Refusal<Created<RobotView>>(change);
        }

        var snapshot = state.Current;
        return TypedResults.Created($"{AdminApi.Prefix}/robots/{request.Name}", RobotView.Of(snapshot, snapshot.Matcher.Find(request.Name)!, secret));
    }

    /// <summary>Replaces rules, permissions and settings; a classic robot keeps its secret.</summary>
    private static Task<Results<Ok<RobotView>, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> ReplaceAsync(
        string name, RobotUpdateRequest request, FederationState state, CancellationToken cancellationToken) =>
        EditAsync(name, state, existing => request.ToSettings(name, existing.SecretHash), cancellationToken);

    private static async Task<Results<NoContent, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> DeleteAsync(
        string name, FederationState state, CancellationToken cancellationToken)
    {
        var change = await state.DeleteAsync(ObjectKinds.Robot, name, cancellationToken);
        return change.Outcome == FederationChangeOutcome.Applied ? TypedResults.NoContent() : AdminErrors.Refusal<NoContent>(change);
    }

    private static async Task<Results<Ok<RobotView>, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> RotateSecretAsync(
        string name, FederationState state, CancellationToken cancellationToken)
    {
        if (state.Current.Matcher.Find(name) is { IsFederated: true })
        {
            return TypedResults.BadRequest(AdminErrors.Of($"robot '{name}' is federated: it has no secret to rotate"));
        }

        var secret = SecretHasher.Generate();
        return await EditAsync(name, state, r => r with { SecretHash = SecretHasher.Hash(secret) }, cancellationToken, secret);
    }

    private static async Task<Results<Ok<RobotView>, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> EditAsync(
        string name, FederationState state, Func<RobotSettings, RobotSettings> edit, CancellationToken cancellationToken, string? secret = null)
    {
        var change = await state.EditRobotAsync(name, edit, cancellationToken);
        if (change.Outcome != FederationChangeOutcome.Applied)
        {
            return AdminErrors.Refusal<Ok<RobotView>>(change);
        }

        var current = state.Current;
        return TypedResults.Ok(RobotView.Of(current, current.Matcher.Find(name)!, secret));
    }
}
