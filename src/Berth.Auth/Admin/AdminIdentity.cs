namespace Berth.Auth.Admin;

/// <summary>An authenticated administrator: the admin token's name, or <c>admin</c> for the bootstrap password.</summary>
internal sealed record AdminIdentity(string Name);
