using Berth.Access.Scopes;

namespace Berth.Access.Permissions;

/// <summary>
/// What one authenticated registry request may do: the scopes its registry token was granted, or,
/// for a request that logged in directly (Basic credentials, anonymous), the permissions behind it.
/// Public pulls are in <paramref name="Permissions"/> either way, so a token for one repository still
/// pulls a public one.
/// </summary>
/// <param name="Granted">The registry token's grants; null when the request carries no registry token.</param>
/// <param name="Permissions">The login's permissions and the public ones.</param>
public sealed record CallerAccess(IReadOnlyList<ResourceScope>? Granted, IReadOnlyList<Permission> Permissions)
{
    public bool Allows(AccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        if (Granted is not null)
        {
            return Granted.Any(s => s.Type == requirement.Type && s.Name == requirement.Name && (s.Actions.Contains(requirement.Action) || s.Actions.Contains(RegistryActions.Any)))
                || (requirement.Type == ResourceScope.RepositoryType && requirement.Action == RegistryActions.Pull && AccessGranter.Allows(Permissions, requirement.Name, requirement.Action));
        }

        if (requirement.Type == ResourceScope.RegistryType)
        {
            var asked = new ResourceScope(requirement.Type, requirement.Name, [requirement.Action]);
            return AccessGranter.Grant([asked], Permissions).Granted.Count > 0;
        }

        return AccessGranter.Allows(Permissions, requirement.Name, requirement.Action);
    }
}
