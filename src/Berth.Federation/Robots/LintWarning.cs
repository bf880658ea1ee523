namespace Berth.Federation.Robots;

/// <summary>
/// Something about a robot that works but is probably not what its author meant, found by
/// <see cref="RobotLinter"/>. <see cref="Code"/> is stable (see <see cref="LintCodes"/>), so scripts may
/// match on it; <see cref="Message"/> says what to change. Never contains a token, only rule values.
/// </summary>
public sealed record LintWarning(string Robot, string Code, string Message);
