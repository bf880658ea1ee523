using Berth.Access.Permissions;
using Berth.Access.Scopes;

namespace Berth.Access.Tests.Permissions;

public sealed class AccessGranterTests
{
    private static readonly Permission PushApps = new("library", "app/**", ["pull", "push"]);
    private static readonly Permission PullLibrary = new("library", "**", ["pull"]);
    private static readonly Permission DeleteCache = new("library", "app/cache", ["delete"]);
    private static readonly Permission PullEverything = new("*", "**", ["pull"]);

    private static IReadOnlyList<ResourceScope> Scopes(params string[] values) => ScopeParser.Parse(values).Scopes;

    private static string[] Granted(AccessDecision decision) => decision.Granted.Select(s => s.ToString()).ToArray();

    [Fact]
    public void Grant_RequestWithinPermission_GrantsRequestedActions()
    {
        var decision = AccessGranter.Grant(Scopes("repository:library/app/web:pull,push"), [PushApps]);

        Assert.Equal(["repository:library/app/web:pull,push"], Granted(decision));
        Assert.Empty(decision.Refused);
    }

    [Fact]
    public void Grant_ActionsBeyondPermission_IntersectsAndReportsRefused()
    {
        var decision = AccessGranter.Grant(Scopes("repository:library/other:pull,push"), [PullLibrary]);

        Assert.Equal(["repository:library/other:pull"], Granted(decision));
        Assert.Equal(["repository:library/other:push"], decision.Refused.Select(s => s.ToString()));
    }

    [Fact]
    public void Grant_SeveralPermissions_GrantsTheUnion()
    {
        var decision = AccessGranter.Grant(Scopes("repository:library/app/cache:pull,push,delete"), [PullLibrary, PushApps, DeleteCache]);

        Assert.Equal(["repository:library/app/cache:pull,push,delete"], Granted(decision));
    }

    [Fact]
    public void Grant_WildcardAction_GrantsEveryAllowedAction()
    {
        var decision = AccessGranter.Grant(Scopes("repository:library/app/cache:*"), [PushApps, DeleteCache]);

        Assert.Equal(["repository:library/app/cache:pull,push,delete"], Granted(decision));
        Assert.Empty(decision.Refused);
    }

    [Fact]
    public void Grant_WildcardActionWithoutAnyPermission_GrantsNothing()
    {
        var decision = AccessGranter.Grant(Scopes("repository:other/app:*"), [PushApps]);

        Assert.Empty(decision.Granted);
        Assert.Equal(["repository:other/app:*"], decision.Refused.Select(s => s.ToString()));
    }

    [Fact]
    public void Grant_PartialRequest_GrantsWhatIsAllowedWithoutError()
    {
        var decision = AccessGranter.Grant(
            Scopes("repository:library/app/web:pull,push", "repository:secret/db:pull", "repository:library/base:pull,push"),
            [PushApps, PullLibrary]);

        Assert.Equal(["repository:library/app/web:pull,push", "repository:library/base:pull"], Granted(decision));
        Assert.Equal(["repository:secret/db:pull", "repository:library/base:push"], decision.Refused.Select(s => s.ToString()));
    }

    [Fact]
    public void Grant_ProjectWildcard_MatchesAnyProject()
    {
        var decision = AccessGranter.Grant(Scopes("repository:team/svc:pull", "repository:x/y/z:pull"), [PullEverything]);

        Assert.Equal(["repository:team/svc:pull", "repository:x/y/z:pull"], Granted(decision));
    }

    [Theory]
    [InlineData("repository:library:pull")]
    [InlineData("repository:app:pull")]
    [InlineData("repository:localhost:5000/library/app:pull")]
    [InlineData("plugin:library/app:pull")]
    public void Grant_NameWithoutProjectPathOrOtherType_GrantsNothing(string scope)
    {
        var decision = AccessGranter.Grant(Scopes(scope), [PullEverything, PullLibrary]);

        Assert.Empty(decision.Granted);
    }

    [Fact]
    public void Grant_AppGlob_DoesNotGrantTheBareApp()
    {
        var decision = AccessGranter.Grant(Scopes("repository:library/app:push"), [PushApps]);

        Assert.Empty(decision.Granted);
    }

    [Fact]
    public void Grant_UnknownAction_IsRefused()
    {
        var decision = AccessGranter.Grant(Scopes("repository:library/app/x:pull,admin"), [PushApps]);

        Assert.Equal(["repository:library/app/x:pull"], Granted(decision));
        Assert.Equal(["repository:library/app/x:admin"], decision.Refused.Select(s => s.ToString()));
    }

    [Fact]
    public void Grant_CatalogWithPullOnEverything_IsGranted()
    {
        var decision = AccessGranter.Grant(Scopes("registry:catalog:*"), [PullEverything]);

        Assert.Equal(["registry:catalog:*"], Granted(decision));
    }

    [Theory]
    [InlineData("library", "**", "pull")]
    [InlineData("*", "app/**", "pull")]
    [InlineData("*", "**", "push")]
    public void Grant_CatalogWithoutGlobalPull_IsRefused(string project, string repositories, string action)
    {
        var decision = AccessGranter.Grant(Scopes("registry:catalog:*"), [new Permission(project, repositories, [action])]);

        Assert.Empty(decision.Granted);
        Assert.Equal(["registry:catalog:*"], decision.Refused.Select(s => s.ToString()));
    }

    [Fact]
    public void Grant_CatalogWithOtherAction_IsRefused()
    {
        var decision = AccessGranter.Grant(Scopes("registry:catalog:pull"), [PullEverything]);

        Assert.Empty(decision.Granted);
    }

    [Fact]
    public void Grant_DuplicateRequestedScopes_AreMerged()
    {
        var requested = new[]
        {
            new ResourceScope("repository", "library/app/x", ["pull"]),
            new ResourceScope("repository", "library/app/x", ["push", "pull"]),
        };

        var decision = AccessGranter.Grant(requested, [PushApps]);

        Assert.Equal(["repository:library/app/x:pull,push"], Granted(decision));
    }

    [Fact]
    public void Grant_InvalidPermissionGlob_MatchesNothing()
    {
        var decision = AccessGranter.Grant(Scopes("repository:library/app:pull"), [new Permission("library", "app//", ["pull"])]);

        Assert.Empty(decision.Granted);
    }

    [Fact]
    public void Grant_NoPermissions_GrantsNothing()
    {
        var decision = AccessGranter.Grant(Scopes("repository:library/app:pull"), []);

        Assert.Empty(decision.Granted);
    }

    [Theory]
    [InlineData("library/app/web", "push", true)]
    [InlineData("library/app/web", "delete", false)]
    [InlineData("library/app", "push", false)]
    [InlineData("library/base", "pull", true)]
    [InlineData("library", "pull", false)]
    [InlineData("other/app/web", "pull", false)]
    [InlineData("library/app/web", "*", false)]
    [InlineData("Library/app/web", "pull", false)]
    [InlineData("library/app/web\n", "push", false)]
    public void Allows_RepositoryAndAction_FollowsPermissions(string repository, string action, bool expected)
    {
        Assert.Equal(expected, AccessGranter.Allows([PushApps, PullLibrary], repository, action));
    }
}
