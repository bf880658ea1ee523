using Berth.Access.Permissions;

namespace Berth.Federation.Explain;

/// <summary>The union of several robots' permissions, without exact duplicates, in first-seen order.</summary>
internal static class PermissionUnion
{
    public static IReadOnlyList<Permission> Of(IEnumerable<Permission> permissions)
    {
        // Robots carry a handful of permissions, so comparing each with those kept beats building a
        // string key per permission (this runs on every token exchange).
        var list = new List<Permission>();
        foreach (var permission in permissions)
        {
            if (!list.Exists(kept => SameGrant(kept, permission)))
            {
                list.Add(permission);
            }
        }

        return list;
    }

    /// <summary>Same project, same repository pattern, same actions in any order.</summary>
    private static bool SameGrant(Permission a, Permission b)
    {
        if (!string.Equals(a.Project, b.Project, StringComparison.Ordinal)
            || !string.Equals(a.Repositories, b.Repositories, StringComparison.Ordinal)
            || a.Actions.Count != b.Actions.Count)
        {
            return false;
        }

        foreach (var action in a.Actions)
        {
            if (Count(a.Actions, action) != Count(b.Actions, action))
            {
                return false;
            }
        }

        return true;
    }

    private static int Count(IReadOnlyList<string> actions, string action)
    {
        var count = 0;
        foreach (var candidate in actions)
        {
            if (string.Equals(candidate, action, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }
}
