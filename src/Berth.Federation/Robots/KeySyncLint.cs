namespace Berth.Federation.Robots;

/// <summary>
/// Lint 7: <c>jwks-sync</c> lets every token the robot matches replace its identity provider's keys, so
/// it belongs to one workload: an exact <c>sub</c> (one service account), on a robot that does nothing else.
/// </summary>
internal static class KeySyncLint
{
    public static IEnumerable<LintWarning> Check(RobotDefinition robot)
    {
        if (!KeySyncPermission.IsHeldBy(robot))
        {
            yield break;
        }

        if (!robot.Rules.Any(rule => rule.Claim == "sub" && RulePattern.IsExact(rule)))
        {
            yield return new LintWarning(
                robot.Name,
                LintCodes.BroadKeySync,
                $"holds {KeySyncPermission.Action}, so every token it matches may replace identity provider '{robot.IdentityProvider}''s keys, but no rule pins one subject: add a rule such as sub equals system:serviceaccount:kube-system:berth-key-sync");
        }

        if (robot.Permissions.Any(p => !p.Actions.Contains(KeySyncPermission.Action, StringComparer.Ordinal)))
        {
            yield return new LintWarning(
                robot.Name,
                LintCodes.KeySyncWithRegistryAccess,
                $"holds {KeySyncPermission.Action} and registry permissions: give key sync a robot of its own, matched only by the sync job's service account");
        }
    }
}
