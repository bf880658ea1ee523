namespace Berth.Access.Permissions;

/// <summary>The actions a permission can allow, and the wildcard a client may request.</summary>
public static class RegistryActions
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";

    /// <summary>Requested by skopeo to delete; granted as every action the permissions allow.</summary>
    public const string Any = "*";

    /// <summary>In the order a granted <c>*</c> is expanded.</summary>
    public static IReadOnlyList<string> All { get; } = [Pull, Push, Delete];

    public static bool IsKnown(string action) => action is Pull or Push or Delete;
}
