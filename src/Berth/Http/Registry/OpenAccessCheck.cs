namespace Berth.Http.Registry;

/// <summary>Open mode: no identity provider and no robot configured, so everything is allowed.</summary>
internal sealed class OpenAccessCheck : IRegistryAccessCheck
{
    public Task<bool> AuthorizeAsync(HttpContext context, IReadOnlyList<AccessRequirement> required, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    public Task<bool> IsGrantedAsync(HttpContext context, AccessRequirement requirement, CancellationToken cancellationToken) =>
        Task.FromResult(true);
}
