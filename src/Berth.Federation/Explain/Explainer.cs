using System.Text.Json;
using Berth.Federation.Robots;
using Berth.Federation.Tokens;

namespace Berth.Federation.Explain;

/// <summary>
/// Shows, per robot and per rule, the claim value found and the verdict, plus the resulting permissions.
/// Admin-only: the output contains rule details that must never reach an anonymous caller.
/// </summary>
public static class Explainer
{
    /// <summary>
    /// Explains a claims document against robots. Without an identity provider every federated robot is
    /// evaluated (an admin pasting claims); <paramref name="robotName"/> limits it to that robot.
    /// </summary>
    public static Explanation Explain(JsonElement claims, IEnumerable<RobotDefinition> robots, string? robotName) =>
        Explain(claims, robots, identityProvider: null, robotName);

    /// <summary>Explains a validated token: only robots of its identity provider are considered, as in matching.</summary>
    public static Explanation Explain(ValidatedWorkloadToken token, IEnumerable<RobotDefinition> robots, string? robotName)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Explain(token.Claims, robots, token.IdentityProvider, robotName);
    }

    /// <summary>Explains a claims document as if it came from <paramref name="identityProvider"/> (null: any).</summary>
    public static Explanation Explain(JsonElement claims, IEnumerable<RobotDefinition> robots, string? identityProvider, string? robotName)
    {
        ArgumentNullException.ThrowIfNull(robots);
        var selected = robots.Where(r => robotName is null || string.Equals(r.Name, robotName, StringComparison.Ordinal));
        return new Explanation(selected.Select(r => RobotEvaluator.Evaluate(r, claims, identityProvider)).ToList());
    }
}
