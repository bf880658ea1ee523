using Berth.Access.Scopes;

namespace Berth.Access.Permissions;

/// <summary>
/// What a token request gets. <see cref="Granted"/> goes into the token's <c>access</c> claim (and the OAuth2
/// <c>scope</c> answer); <see cref="Refused"/> lists, per resource, the requested actions that were not
/// granted, for logs and audit. A partial or empty grant is not an error.
/// </summary>
public sealed record AccessDecision(IReadOnlyList<ResourceScope> Granted, IReadOnlyList<ResourceScope> Refused);
