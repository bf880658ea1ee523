using Berth.Federation.Claims;
using Berth.Federation.Robots;
using RobotSet = Berth.Federation.Tests.Support.Robots;

namespace Berth.Federation.Tests.Robots;

public sealed class RobotsFingerprintTests
{
    [Fact]
    public void Compute_SameDefinitionsInAnyOrder_IsStable()
    {
        var one = RobotsFingerprint.Compute([RobotSet.CiPush, RobotSet.ClusterPull]);
        var two = RobotsFingerprint.Compute([RobotSet.ClusterPull, RobotSet.CiPush]);

        Assert.Equal(one, two);
        Assert.Matches("^sha256:[0-9a-f]{64}$", one);
    }

    [Fact]
    public void Compute_RuleChanged_Differs()
    {
        var changed = RobotSet.ClusterPull with { Rules = [new ClaimRule("sub", ClaimOperator.Glob, "system:serviceaccount:build:*")] };

        Assert.NotEqual(RobotsFingerprint.Compute([RobotSet.ClusterPull]), RobotsFingerprint.Compute([changed]));
    }

    [Fact]
    public void Compute_RobotDisabled_Differs() =>
        Assert.NotEqual(RobotsFingerprint.Compute([RobotSet.ClusterPull]), RobotsFingerprint.Compute([RobotSet.ClusterPull with { Enabled = false }]));

    [Fact]
    public void Compute_PermissionChanged_Differs() =>
        Assert.NotEqual(
            RobotsFingerprint.Compute([RobotSet.ClusterPull]),
            RobotsFingerprint.Compute([RobotSet.ClusterPull with { Permissions = [RobotSet.Permission("library", "**", "pull", "push")] }]));
}
