namespace Berth.Access.Permissions;

/// <summary>The authenticated caller of one registry request: who, through which robots, and what it may do.</summary>
/// <param name="Failure">Why the credentials the request carried were refused; null when they were accepted or absent.</param>
public sealed record RegistryCaller(string Subject, IReadOnlyList<string> Robots, CallerAccess Access, string? Failure)
{
    /// <summary>No credentials at all: neither a login nor a registry token.</summary>
    public bool IsAnonymous => HasNoIdentity && Access.Granted is null;

    /// <summary>No subject and no robot: anonymous, with or without an anonymous registry token.</summary>
    public bool HasNoIdentity => Failure is null && Robots.Count == 0 && Subject.Length == 0;

    public static RegistryCaller Anonymous(IReadOnlyList<Permission> publicPermissions) => new(string.Empty, [], new CallerAccess(null, publicPermissions), null);

    public static RegistryCaller Failed(string failure) => new(string.Empty, [], new CallerAccess(null, []), failure);

    public bool Allows(AccessRequirement requirement) => Failure is null && Access.Allows(requirement);
}
