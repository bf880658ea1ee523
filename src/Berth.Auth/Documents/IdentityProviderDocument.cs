using Berth.Configuration;

namespace Berth.Auth.Documents;

/// <summary>
/// An identity provider made through the admin API, as stored in <c>admin_documents</c> (kind
/// <c>identity-provider</c>). Its own type, so a renamed YAML key or API field never changes stored rows.
/// </summary>
/// <param name="SchemaVersion">1; rows written before the field existed read as 1.</param>
internal sealed record IdentityProviderDocument(
    string Name,
    string Issuer,
    IReadOnlyList<string>? Audiences,
    string? DiscoveryUrl,
    string? JwksUrl,
    string? Jwks,
    string? JwksFile,
    bool AllowInsecureHttp,
    bool AllowLinkLocalAddresses,
    TimeSpan? ClockSkew,
    TimeSpan? MaxTokenLifetime,
    TimeSpan? MaxStaleKeyAge,
    int SchemaVersion = 1)
{
    public static IdentityProviderDocument Of(IdentityProviderSettings p) => new(
        p.Name, p.Issuer, p.Audiences, p.DiscoveryUrl, p.JwksUrl, p.Jwks, p.JwksFile, p.AllowInsecureHttp, p.AllowLinkLocalAddresses, p.ClockSkew, p.MaxTokenLifetime, p.MaxStaleKeyAge);

    public IdentityProviderSettings ToSettings() => new()
    {
        Name = Name,
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
