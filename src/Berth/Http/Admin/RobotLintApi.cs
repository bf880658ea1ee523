using Berth.Auth;
using Berth.Federation.Robots;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>GET /api/v1/robots/lint</c> and <c>GET /api/v1/robots/{name}/lint</c>: the snapshot's
/// <see cref="RobotLinter"/> warnings, an empty list when clean. The routes are mapped with the other
/// robot routes in <see cref="RobotsApi"/>; the literal <c>lint</c> wins over <c>{name}</c>, which is why
/// no robot may be named <c>lint</c> (<see cref="FederationSetup.ReservedRobotName"/>), in the file or the API.
/// </summary>
internal static class RobotLintApi
{

    public static Ok<IReadOnlyList<LintWarning>> LintAll(FederationState state) => TypedResults.Ok(state.Current.Warnings);

    public static Results<Ok<IReadOnlyList<LintWarning>>, NotFound<AdminErrors>> Lint(string name, FederationState state)
    {
        var snapshot = state.Current;
        return snapshot.Matcher.Find(name) is null
            ? TypedResults.NotFound(AdminErrors.Of($"robot '{name}' does not exist"))
            : TypedResults.Ok(snapshot.WarningsOf(name));
    }
}
