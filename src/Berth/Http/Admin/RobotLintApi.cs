using Berth.Access.Refresh;
using Berth.Auth;
using Berth.Federation.Robots;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>GET /api/v1/robots/lint</c> and <c>GET /api/v1/robots/{name}/lint</c>: the snapshot's
/// <see cref="RobotLinter"/> warnings, an empty list when clean. The routes are mapped with the other
/// robot routes in <see cref="RobotsApi"/>; the literal <c>lint</c> wins over <c>{name}</c>, which is why
/// no robot may be named <c>lint</c> (<see cref="FederationSetup.ReservedRobotName"/>), in the file or the API.
/// <c>POST /api/v1/robots/lint</c> lints an unsaved robot (the body of <c>POST /robots</c>) against the saved
/// ones, so the console's editor shows each warning beside its rule or permission while it is being written.
/// </summary>
internal static class RobotLintApi
{
    public static Results<Ok<IReadOnlyList<LintWarning>>, BadRequest<AdminErrors>> LintDraft(RobotCreateRequest draft, FederationState state)
    {
        var snapshot = state.Current;
        // Nothing is saved or returned: a classic draft gets a throwaway hash only so it validates as classic.
        var secretHash = draft.Secret ? SecretHasher.Hash(SecretHasher.Generate()) : null;
        var (robot, errors) = FederationSetup.Draft(draft.ToSettings(string.IsNullOrWhiteSpace(draft.Name) ? "draft" : draft.Name, secretHash), snapshot.Model);
        return errors.Count > 0
            ? TypedResults.BadRequest(new AdminErrors(errors))
            : TypedResults.Ok(RobotLinter.Lint(robot, snapshot.Model.Robots, snapshot.Model.IdentityProviders));
    }

    public static Ok<IReadOnlyList<LintWarning>> LintAll(FederationState state) => TypedResults.Ok(state.Current.Warnings);

    public static Results<Ok<IReadOnlyList<LintWarning>>, NotFound<AdminErrors>> Lint(string name, FederationState state)
    {
        var snapshot = state.Current;
        return snapshot.Matcher.Find(name) is null
            ? TypedResults.NotFound(AdminErrors.Of($"robot '{name}' does not exist"))
            : TypedResults.Ok(snapshot.WarningsOf(name));
    }
}
