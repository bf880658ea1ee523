namespace Berth.Federation.Robots;

/// <summary>
/// Something about a robot that works but is probably not what its author meant, found by
/// <see cref="RobotLinter"/>. <see cref="Code"/> is stable (see <see cref="LintCodes"/>), so scripts may
/// match on it; <see cref="Message"/> says what to change. Never contains a token, only rule values.
/// </summary>
public sealed record LintWarning(string Robot, string Code, string Message)
{
    /// <summary>The index (in the robot's rules) of the rule the warning is about; null when it is about no single rule.</summary>
    /// <remarks>The console shows the warning beside that rule while it is being written.</remarks>
    public int? Rule { get; init; }

    /// <summary>The index (in the robot's permissions) of the permission the warning is about; null when none.</summary>
    public int? Permission { get; init; }
}
