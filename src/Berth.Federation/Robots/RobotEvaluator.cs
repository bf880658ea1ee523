using System.Text.Json;
using Berth.Access.Permissions;
using Berth.Federation.Explain;

namespace Berth.Federation.Robots;

/// <summary>The single place a robot is applied to claims; matching and explaining both use it.</summary>
internal static class RobotEvaluator
{
    /// <param name="identityProvider">The token's provider; null evaluates regardless of provider (explain of pasted claims).</param>
    public static RobotExplanation Evaluate(RobotDefinition robot, JsonElement claims, string? identityProvider)
    {
        var skip = !robot.IsFederated ? "classic robot: authenticates with its secret, not with a token"
            : !robot.Enabled ? "disabled"
            : identityProvider is not null && !string.Equals(robot.IdentityProvider, identityProvider, StringComparison.Ordinal)
                ? $"trusts identity provider '{robot.IdentityProvider}', the token comes from '{identityProvider}'"
            : null;
        if (skip is not null)
        {
            return new RobotExplanation(robot.Name, robot.IdentityProvider, false, skip, [], false, [], []);
        }

        var rules = robot.Rules.Select(rule =>
        {
            var evaluation = rule.Evaluate(claims);
            return new RuleExplanation(rule.Claim, rule.OperatorName, rule.Values, evaluation.Found, evaluation.Matched);
        }).ToList();

        // A robot without rules would trust every token of its issuer: it never matches.
        var matched = rules.Count > 0 && rules.All(r => r.Matched);
        var note = rules.Count == 0 ? "has no rules; a robot with no rules never matches" : null;
        var permissions = new List<Permission>();
        var dropped = new List<string>();
        if (matched)
        {
            foreach (var permission in robot.Permissions)
            {
                if (PermissionTemplate.Expand(permission, claims, out var why) is { } expanded)
                {
                    permissions.Add(expanded);
                }
                else
                {
                    dropped.Add(why!);
                }
            }
        }

        return new RobotExplanation(robot.Name, robot.IdentityProvider, true, note, rules, matched, PermissionUnion.Of(permissions), dropped);
    }
}
