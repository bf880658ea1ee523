namespace Berth.Federation.Robots;

/// <summary>
/// <c>jwks-sync</c>: a permission that is not a registry action. A robot holding it lets the tokens it
/// matches replace the static JWKS of the robot's own identity provider (a private cluster pushing its
/// new verification key before it starts signing with it). It stands alone in its permission entry.
/// </summary>
public static class KeySyncPermission
{
    public const string Action = "jwks-sync";

    public static bool IsHeldBy(RobotDefinition robot)
    {
        ArgumentNullException.ThrowIfNull(robot);
        return robot.Permissions.Any(p => p.Actions.Contains(Action, StringComparer.Ordinal));
    }
}
