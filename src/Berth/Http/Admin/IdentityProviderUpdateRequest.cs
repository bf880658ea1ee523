namespace Berth.Http.Admin;

/// <summary>The body of <c>PUT /identity-providers/{name}</c>: the name is the path's (a <c>name</c> in the body is ignored).</summary>
internal sealed record IdentityProviderUpdateRequest : IdentityProviderFields;
