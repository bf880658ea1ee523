namespace Berth.Access.Permissions;

/// <summary>Why a registry request is refused; <see cref="None"/> lets it proceed.</summary>
public enum RegistryRefusal
{
    None,

    /// <summary>The credentials were refused (<see cref="RegistryCaller.Failure"/> says why).</summary>
    InvalidCredentials,

    /// <summary>Nobody logged in and the request needs someone who did.</summary>
    AuthenticationRequired,

    /// <summary>The repository lies outside every declared project.</summary>
    UnknownProject,

    /// <summary>The caller is known but lacks a permission.</summary>
    Denied,
}

/// <summary>
/// The access decision for one registry request once authentication is configured: the caller, what the
/// request needs, and which projects exist decide; the host only turns the answer into a response.
/// </summary>
public static class RegistryAccessDecision
{
    /// <param name="hasProjectFor">Whether a declared project holds a repository name.</param>
    /// <returns>The refusal and the requirement it concerns (null for refusals of the request as a whole).</returns>
    public static (RegistryRefusal Refusal, AccessRequirement? Requirement) Decide(
        RegistryCaller caller, IReadOnlyList<AccessRequirement> required, Func<string, bool> hasProjectFor)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(hasProjectFor);
        if (caller.Failure is not null)
        {
            return (RegistryRefusal.InvalidCredentials, null);
        }

        if (required.Count == 0)
        {
            // The version check: clients learn the realm from this 401 before they have a token.
            return (caller.IsAnonymous ? RegistryRefusal.AuthenticationRequired : RegistryRefusal.None, null);
        }

        foreach (var requirement in required)
        {
            if (requirement.Type == "repository" && !hasProjectFor(requirement.Name))
            {
                // Whether a project exists is the administrator's business: anonymous callers get the challenge,
                // as for a private project, and nobody is told which projects do exist.
                return (caller.HasNoIdentity ? RegistryRefusal.AuthenticationRequired : RegistryRefusal.UnknownProject, requirement);
            }

            if (!caller.Allows(requirement))
            {
                // An anonymous registry token (what docker fetches after logout) is no login either: the
                // client must hear "authentication required", not that its (absent) robot lacks a permission.
                return (caller.HasNoIdentity ? RegistryRefusal.AuthenticationRequired : RegistryRefusal.Denied, requirement);
            }
        }

        return (RegistryRefusal.None, null);
    }
}
