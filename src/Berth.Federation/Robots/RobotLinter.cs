using Berth.Federation.Claims;
using Berth.Federation.IdentityProviders;

namespace Berth.Federation.Robots;

/// <summary>
/// Finds robots that work but probably do not do what their author meant, each as a
/// <see cref="LintWarning"/> with a stable code and a message saying what to change. Pure and cheap: run
/// on every admin change, at start-up and by <c>berth robot lint</c>. Unlike
/// <see cref="RobotDefinitionValidator"/> it refuses nothing, except that it repeats the shared-issuer
/// guard's error, so a lint of a configuration file shows everything at once.
/// </summary>
public static class RobotLinter
{
    /// <summary>The warnings of every robot, in robot order.</summary>
    public static IReadOnlyList<LintWarning> LintAll(IReadOnlyList<RobotDefinition> robots, IReadOnlyCollection<IdentityProviderOptions> identityProviders)
    {
        ArgumentNullException.ThrowIfNull(robots);
        return robots.SelectMany(r => Lint(r, robots, identityProviders)).ToList();
    }

    /// <summary>The warnings of one robot; <paramref name="robots"/> (which may include it) is what it could duplicate.</summary>
    public static IReadOnlyList<LintWarning> Lint(RobotDefinition robot, IReadOnlyList<RobotDefinition> robots, IReadOnlyCollection<IdentityProviderOptions> identityProviders)
    {
        ArgumentNullException.ThrowIfNull(robot);
        ArgumentNullException.ThrowIfNull(robots);
        ArgumentNullException.ThrowIfNull(identityProviders);
        var issuer = identityProviders.FirstOrDefault(p => string.Equals(p.Name, robot.IdentityProvider, StringComparison.Ordinal))?.Issuer;
        var warnings = new List<LintWarning>();
        if (robot.IsFederated)
        {
            if (issuer is not null && SharedIssuerGuard.Check(robot, issuer) is { } guard)
            {
                warnings.Add(new LintWarning(robot.Name, LintCodes.UnpinnedSharedIssuer, guard));
            }

            warnings.AddRange(NameClaimLint.Check(robot, issuer));
            warnings.AddRange(BroadPatternLint.Check(robot));
            warnings.AddRange(RegexLint.Check(robot));
            warnings.AddRange(Duplicates(robot, robots));
            warnings.AddRange(KeySyncLint.Check(robot));
        }

        warnings.AddRange(PermissionLint.Check(robot));
        return warnings;
    }

    /// <summary>Lint 4: the same identity provider and the same rules (in any order) match the same tokens.</summary>
    private static IEnumerable<LintWarning> Duplicates(RobotDefinition robot, IReadOnlyList<RobotDefinition> robots)
    {
        if (robot.Rules.Count == 0)
        {
            yield break; // a federated robot without rules never matches: nothing to duplicate
        }

        var key = RuleSetKey(robot);
        foreach (var other in robots.Where(o => o.IsFederated && !string.Equals(o.Name, robot.Name, StringComparison.Ordinal)
            && string.Equals(o.IdentityProvider, robot.IdentityProvider, StringComparison.Ordinal) && RuleSetKey(o).SetEquals(key)))
        {
            yield return new LintWarning(
                robot.Name,
                LintCodes.DuplicateRules,
                $"has the same identity provider and rules as robot '{other.Name}': every token that matches one matches both and gets both robots' permissions; merge them into one robot, or make their rules differ");
        }
    }

    private static HashSet<string> RuleSetKey(RobotDefinition robot) =>
        robot.Rules.Select(Key).ToHashSet(StringComparer.Ordinal);

    // The operator name plus sorted values: "in [b, a]" and "in [a, b]" are the same rule.
    private static string Key(ClaimRule rule) =>
        $"{rule.Claim}\u0000{rule.OperatorName}\u0000{string.Join('\u0000', rule.Operator == ClaimOperator.In ? rule.Values.Order(StringComparer.Ordinal) : rule.Values)}";
}
