namespace Berth.Federation.Robots;

/// <summary>
/// Lint 7: <c>jwks-sync</c> lets every token the robot matches replace its identity provider's keys, so it
/// belongs to one workload (an exact <c>sub</c>, which <see cref="RobotDefinitionValidator"/> requires) on a
/// robot that does nothing else.
/// </summary>
internal static class KeySyncLint
{
    public static IEnumerable<LintWarning> Check(RobotDefinition robot)
    {
        if (!KeySyncPermission.IsHeldBy(robot))
        {
            yield break;
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
