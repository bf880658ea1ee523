using System.Text.Json;
using Berth.Access.Permissions;
using Berth.Federation.Explain;

namespace Berth.Federation.Robots;

/// <summary>
/// The single place a robot is applied to claims; matching and explaining both use it. <see cref="Evaluate"/>
/// records every rule for explain; <see cref="Matches"/> and <see cref="AddPermissions"/> give the same verdict
/// and grants without that record, for the token service.
/// </summary>
internal static class RobotEvaluator
{
    /// <param name="identityProvider">The token's provider; null evaluates regardless of provider (explain of pasted claims).</param>
    public static RobotExplanation Evaluate(RobotDefinition robot, JsonElement claims, string? identityProvider)
    {
        if (!IsConsidered(robot, identityProvider))
        {
            var skip = !robot.IsFederated ? "classic robot: authenticates with its secret, not with a token"
                : !robot.Enabled ? "disabled"
                : $"trusts identity provider '{robot.IdentityProvider}', the token comes from '{identityProvider}'";
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
            AddPermissions(robot, claims, permissions, dropped);
        }

        return new RobotExplanation(robot.Name, robot.IdentityProvider, true, note, rules, matched, PermissionUnion.Of(permissions), dropped);
    }

    /// <summary>Does <paramref name="robot"/> match? The verdict of <see cref="Evaluate"/>, stopping at the first failing rule.</summary>
    public static bool Matches(RobotDefinition robot, JsonElement claims, string? identityProvider)
    {
        if (!IsConsidered(robot, identityProvider) || robot.Rules.Count == 0)
        {
            return false;
        }

        foreach (var rule in robot.Rules)
        {
            if (!rule.IsMatch(claims))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A matched robot's permissions with templates substituted; those that cannot be go to <paramref name="dropped"/>.</summary>
    public static void AddPermissions(RobotDefinition robot, JsonElement claims, List<Permission> permissions, List<string>? dropped)
    {
        foreach (var permission in robot.Permissions)
        {
            if (PermissionTemplate.Expand(permission, claims, out var why) is { } expanded)
            {
                permissions.Add(expanded);
            }
            else
            {
                dropped?.Add(why!);
            }
        }
    }

    private static bool IsConsidered(RobotDefinition robot, string? identityProvider) =>
        robot.IsFederated && robot.Enabled
        && (identityProvider is null || string.Equals(robot.IdentityProvider, identityProvider, StringComparison.Ordinal));
}
