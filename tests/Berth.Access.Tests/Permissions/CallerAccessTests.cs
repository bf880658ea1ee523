using Berth.Access.Permissions;
using Berth.Access.Scopes;

namespace Berth.Access.Tests.Permissions;

public sealed class CallerAccessTests
{
    private static readonly Permission PublicLibrary = new("library", "**", ["pull"]);
    private static readonly Permission PushApps = new("library", "app/**", ["pull", "push"]);
    private static readonly Permission PullEverything = new("*", "**", ["pull"]);

    private static CallerAccess Token(string scope, params Permission[] publicPermissions) =>
        new([ResourceScope.TryParse(scope, out var parsed) ? parsed : throw new ArgumentException(scope)], publicPermissions);

    [Fact]
    public void Allows_TokenGrantedTheAction_Allows()
    {
        Assert.True(Token("repository:library/app/web:pull,push").Allows(AccessRequirement.Push("library/app/web")));
    }

    [Fact]
    public void Allows_TokenForAnotherRepository_Refuses()
    {
        Assert.False(Token("repository:library/app/web:pull,push").Allows(AccessRequirement.Push("library/app/api")));
    }

    [Fact]
    public void Allows_TokenGrantedWildcardAction_AllowsEveryAction()
    {
        Assert.True(Token("repository:library/app/web:*").Allows(AccessRequirement.Delete("library/app/web")));
    }

    [Fact]
    public void Allows_TokenForOneRepositoryAndPublicProject_PullsThePublicOneButNeverPushes()
    {
        var access = Token("repository:team/app:pull", PublicLibrary);

        Assert.True(access.Allows(AccessRequirement.Pull("library/base")));
        Assert.False(access.Allows(AccessRequirement.Push("library/base")));
    }

    [Fact]
    public void Allows_LoginPermissions_DecideWithoutAToken()
    {
        var access = new CallerAccess(null, [PushApps]);

        Assert.True(access.Allows(AccessRequirement.Push("library/app/web")));
        Assert.False(access.Allows(AccessRequirement.Push("library/other")));
    }

    [Fact]
    public void Allows_CatalogOnlyForPullOnEverything()
    {
        Assert.True(new CallerAccess(null, [PullEverything]).Allows(AccessRequirement.Catalog));
        Assert.False(new CallerAccess(null, [PushApps]).Allows(AccessRequirement.Catalog));
    }
}
