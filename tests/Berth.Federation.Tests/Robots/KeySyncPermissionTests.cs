using Berth.Federation.Claims;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Robots;
using Berth.Federation.Tests.Support;
using RobotSet = Berth.Federation.Tests.Support.Robots;

namespace Berth.Federation.Tests.Robots;

/// <summary>The <c>jwks-sync</c> permission and the key sets key sync accepts.</summary>
public sealed class KeySyncPermissionTests
{
    private static RobotDefinition KeySyncRobot => RobotSet.ClusterPull with
    {
        Name = "key-sync",
        Rules = [new ClaimRule("sub", ClaimOperator.Equal, "system:serviceaccount:kube-system:berth-key-sync")],
        Permissions = [RobotSet.Permission("*", "**", KeySyncPermission.Action)],
    };

    [Fact]
    public void Validate_JwksSyncAloneOnRobotPinnedToOneSubject_IsValidAndHeld()
    {
        Assert.Empty(RobotDefinitionValidator.Validate(KeySyncRobot, RobotSet.Providers));
        Assert.True(KeySyncPermission.IsHeldBy(KeySyncRobot));
        Assert.False(KeySyncPermission.IsHeldBy(RobotSet.ClusterPull));
    }

    [Fact]
    public void Validate_JwksSyncOnRobotMatchingAnyServiceAccount_AsksForAnExactSubject()
    {
        var robot = RobotSet.ClusterPull with { Permissions = [RobotSet.Permission("*", "**", KeySyncPermission.Action)] };

        Assert.Contains("robots[cluster-pull].rules: a robot holding jwks-sync must pin one subject with an exact sub rule, e.g. sub equals system:serviceaccount:kube-system:berth-key-sync: every token it matches may replace the provider's keys",
            RobotDefinitionValidator.Validate(robot, RobotSet.Providers));
    }

    [Fact]
    public void Validate_JwksSyncMixedWithPull_AsksForItsOwnEntry()
    {
        var robot = KeySyncRobot with { Permissions = [RobotSet.Permission("library", "**", "pull", KeySyncPermission.Action)] };

        Assert.Contains("robots[key-sync].permissions[0].actions: jwks-sync is not a registry action: give it its own permission entry",
            RobotDefinitionValidator.Validate(robot, RobotSet.Providers));
    }

    [Fact]
    public void Validate_JwksSyncOnClassicRobot_IsRefused()
    {
        var robot = RobotSet.LegacyPull with { Permissions = [RobotSet.Permission("*", "**", KeySyncPermission.Action)] };

        Assert.Contains(RobotDefinitionValidator.Validate(robot, RobotSet.Providers),
            e => e.StartsWith("robots[legacy-pull].permissions[0].actions: only a federated robot may hold jwks-sync", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_PublicKeys_ReturnsTheirKids()
    {
        var (kids, problem) = SyncedKeySet.Check(TestKey.Jwks(TestKeys.Kubernetes, TestKeys.GitHub));

        Assert.Null(problem);
        Assert.Equal([TestKeys.Kubernetes.Kid, TestKeys.GitHub.Kid], kids);
    }

    [Fact]
    public void Check_RsaPrivateKey_IsRefusedNamingTheMember()
    {
        var jwk = TestKeys.GitHub.PublicJwk();
        jwk["p"] = "AQAB";

        var (kids, problem) = SyncedKeySet.Check(new System.Text.Json.Nodes.JsonObject { ["keys"] = new System.Text.Json.Nodes.JsonArray(jwk) }.ToJsonString());

        Assert.Null(kids);
        Assert.StartsWith("the JWKS holds private key material ('p')", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OnlySymmetricKey_HasNoSigningKey()
    {
        var (kids, problem) = SyncedKeySet.Check("""{"keys":[{"kty":"oct","kid":"h","use":"sig"}]}""");

        Assert.Null(kids);
        Assert.Equal("the JWKS has no RSA or EC signing key", problem);
    }
}
