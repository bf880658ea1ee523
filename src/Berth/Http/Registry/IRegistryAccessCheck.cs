using Berth.Access.Permissions;
namespace Berth.Http.Registry;

/// <summary>
/// The one door every /v2 request passes: it states what it needs and the check decides. When the
/// answer is no, the check has already written the response (a Bearer challenge or DENIED).
/// </summary>
internal interface IRegistryAccessCheck
{
    /// <returns>True when the request may proceed.</returns>
    Task<bool> AuthorizeAsync(HttpContext context, IReadOnlyList<AccessRequirement> required, CancellationToken cancellationToken);

    /// <summary>Asks without answering the client (e.g. may the caller pull the mount source?).</summary>
    Task<bool> IsGrantedAsync(HttpContext context, AccessRequirement requirement, CancellationToken cancellationToken);
}
