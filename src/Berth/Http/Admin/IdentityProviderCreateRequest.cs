namespace Berth.Http.Admin;

/// <summary>The body of <c>POST /identity-providers</c>: a new provider and its name.</summary>
internal sealed record IdentityProviderCreateRequest : IdentityProviderFields
{
    public string Name { get; init; } = string.Empty;
}
