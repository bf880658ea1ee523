using Berth.Access.Permissions;
using Berth.Access.Scopes;

namespace Berth.Access.Tests.Permissions;

/// <summary>The /v2 access decision without HTTP: which refusal a caller hears for what it asked.</summary>
public sealed class RegistryAccessDecisionTests
{
    private static readonly Permission PullLibrary = new("library", "**", ["pull"]);

    [Fact]
    public void Decide_AnonymousVersionCheck_AsksForAuthentication()
    {
        var (refusal, _) = RegistryAccessDecision.Decide(RegistryCaller.Anonymous([]), [], _ => true);

        Assert.Equal(RegistryRefusal.AuthenticationRequired, refusal);
    }

    [Fact]
    public void Decide_RobotPushingWhereItMayOnlyPull_IsDenied()
    {
        var caller = new RegistryCaller("ci", ["ci"], new CallerAccess(null, [PullLibrary]), null);

        Assert.Equal(RegistryRefusal.None, RegistryAccessDecision.Decide(caller, [AccessRequirement.Pull("library/app")], _ => true).Refusal);
        Assert.Equal(RegistryRefusal.Denied, RegistryAccessDecision.Decide(caller, [AccessRequirement.Push("library/app")], _ => true).Refusal);
    }

    [Fact]
    public void Decide_RepositoryOutsideEveryProject_IsUnknownForALoginAndAChallengeForAnonymous()
    {
        var robot = new RegistryCaller("ci", ["ci"], new CallerAccess(null, [PullLibrary]), null);
        var anonymous = RegistryCaller.Anonymous([PullLibrary]);
        var anonymousToken = new RegistryCaller(string.Empty, [], new CallerAccess([new ResourceScope("repository", "other/app", ["pull"])], []), null);

        var (refusal, requirement) = RegistryAccessDecision.Decide(robot, [AccessRequirement.Pull("other/app")], name => name.StartsWith("library/", StringComparison.Ordinal));

        Assert.Equal(RegistryRefusal.UnknownProject, refusal);
        Assert.Equal("other/app", requirement?.Name);
        Assert.Equal(RegistryRefusal.AuthenticationRequired, RegistryAccessDecision.Decide(anonymous, [AccessRequirement.Pull("other/app")], _ => false).Refusal);
        Assert.Equal(RegistryRefusal.AuthenticationRequired, RegistryAccessDecision.Decide(anonymousToken, [AccessRequirement.Push("library/app")], _ => true).Refusal);
    }

    [Fact]
    public void Decide_RefusedCredentials_AreInvalidWhateverWasAsked()
    {
        var caller = RegistryCaller.Failed("expired: the registry token is not valid here");

        Assert.Equal(RegistryRefusal.InvalidCredentials, RegistryAccessDecision.Decide(caller, [], _ => true).Refusal);
        Assert.False(caller.Allows(AccessRequirement.Pull("library/app")));
    }
}
