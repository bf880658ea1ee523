using Berth.Access.Permissions;

namespace Berth.Federation.Explain;

/// <summary>The union of several robots' permissions, without exact duplicates, in first-seen order.</summary>
internal static class PermissionUnion
{
    public static IReadOnlyList<Permission> Of(IEnumerable<Permission> permissions)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<Permission>();
        foreach (var permission in permissions)
        {
            var key = permission.Project + "\n" + permission.Repositories + "\n" + string.Join(",", permission.Actions.Order(StringComparer.Ordinal));
            if (seen.Add(key))
            {
                list.Add(permission);
            }
        }

        return list;
    }
}
