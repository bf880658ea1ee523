using Berth.Federation.Tokens;

namespace Berth.Federation.Robots;

/// <summary>
/// The registry's decision on a workload token: validate it, then match it to robots. The token service
/// and explain both call this, so explain can never report a verdict the token service would not give.
/// </summary>
public static class WorkloadLogin
{
    /// <param name="username">The login username (or explain's robot): pins the robot when it names one.</param>
    public static async Task<WorkloadLoginResult> DecideAsync(WorkloadTokenValidator validator, RobotMatcher matcher, string jwt, string? username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(matcher);
        var validation = await validator.ValidateAsync(jwt, cancellationToken);
        return validation.IsValid
            ? new WorkloadLoginResult(validation, matcher.Match(validation.Token, username))
            : new WorkloadLoginResult(validation, null);
    }
}
