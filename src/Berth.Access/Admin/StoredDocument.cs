namespace Berth.Access.Admin;

/// <summary>One object created through the admin API (an identity provider, project or robot) as a JSON document.</summary>
/// <param name="Kind">identity-provider, project or robot.</param>
public sealed record StoredDocument(string Kind, string Name, string Json, DateTimeOffset UpdatedAt);
