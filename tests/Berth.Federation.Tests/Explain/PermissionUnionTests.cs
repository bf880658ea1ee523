using Berth.Access.Permissions;
using Berth.Federation.Explain;

namespace Berth.Federation.Tests.Explain;

public sealed class PermissionUnionTests
{
    [Fact]
    public void Of_SameGrantWithActionsInAnotherOrder_KeepsTheFirst()
    {
        var first = new Permission("library", "app/**", ["pull", "push"]);

        var union = PermissionUnion.Of([first, new Permission("library", "app/**", ["push", "pull"])]);

        Assert.Same(first, Assert.Single(union));
    }

    [Fact]
    public void Of_DifferentProjectRepositoriesOrActions_KeepsEachInFirstSeenOrder()
    {
        Permission[] permissions =
        [
            new("library", "app/**", ["pull"]),
            new("public", "app/**", ["pull"]),
            new("library", "**", ["pull"]),
            new("library", "app/**", ["pull", "push"]),
            new("library", "app/**", ["pull"]),
        ];

        Assert.Equal(permissions.Take(4), PermissionUnion.Of(permissions));
    }

    [Fact]
    public void Of_RepeatedActionCountsDiffer_AreDifferentGrants()
    {
        var union = PermissionUnion.Of([new Permission("p", "r", ["pull", "pull"]), new Permission("p", "r", ["pull", "push"])]);

        Assert.Equal(2, union.Count);
    }
}
