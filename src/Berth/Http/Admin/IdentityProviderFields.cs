using Berth.Configuration;

namespace Berth.Http.Admin;

/// <summary>
/// What the bodies of <c>POST /identity-providers</c> (<see cref="IdentityProviderCreateRequest"/>) and
/// <c>PUT /identity-providers/{name}</c> (<see cref="IdentityProviderUpdateRequest"/>) share: the API's own
/// shape, so the configuration file's keys and the stored documents can change without changing the API.
/// </summary>
internal abstract record IdentityProviderFields
{
    public string Issuer { get; init; } = string.Empty;

    public IReadOnlyList<string> Audiences { get; init; } = [];

    public string? DiscoveryUrl { get; init; }

    public string? JwksUrl { get; init; }

    public string? Jwks { get; init; }

    public string? JwksFile { get; init; }

    public bool AllowInsecureHttp { get; init; }

    public bool AllowLinkLocalAddresses { get; init; }

    public TimeSpan? ClockSkew { get; init; }

    public TimeSpan? MaxTokenLifetime { get; init; }

    public TimeSpan? MaxStaleKeyAge { get; init; }

    public IdentityProviderSettings ToSettings(string name) => new()
    {
        Name = name,
        Issuer = Issuer,
        Audiences = [.. Audiences ?? []],
        DiscoveryUrl = DiscoveryUrl,
        JwksUrl = JwksUrl,
        Jwks = Jwks,
        JwksFile = JwksFile,
        AllowInsecureHttp = AllowInsecureHttp,
        AllowLinkLocalAddresses = AllowLinkLocalAddresses,
        ClockSkew = ClockSkew,
        MaxTokenLifetime = MaxTokenLifetime,
        MaxStaleKeyAge = MaxStaleKeyAge,
    };
}
