using System.Collections.Immutable;
using Berth.Configuration;

namespace Berth.Auth;

/// <summary>
/// The objects created through the admin API, in the configuration file's shape, by name. Treated as
/// immutable: an edit makes a new set (the settings objects inside are never changed after they are stored).
/// </summary>
internal sealed record ManagedObjects(
    ImmutableSortedDictionary<string, IdentityProviderSettings> IdentityProviders,
    ImmutableSortedDictionary<string, ProjectSettings> Projects,
    ImmutableSortedDictionary<string, RobotSettings> Robots,
    ImmutableSortedDictionary<string, SyncedJwks> SyncedKeys)
{
    public static ManagedObjects Empty { get; } = new(
        ImmutableSortedDictionary.Create<string, IdentityProviderSettings>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, ProjectSettings>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, RobotSettings>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, SyncedJwks>(StringComparer.Ordinal));

    public bool Contains(string kind, string name) => kind switch
    {
        ObjectKinds.IdentityProvider => IdentityProviders.ContainsKey(name),
        ObjectKinds.Project => Projects.ContainsKey(name),
        ObjectKinds.Robot => Robots.ContainsKey(name),
        _ => false,
    };

    /// <summary>
    /// The configuration file's objects followed by these, as one settings object for <see cref="FederationSetup"/>;
    /// a provider with synced keys that still apply (<see cref="SyncedKeysApplyTo"/>) gets them in place of its
    /// configured static JWKS.
    /// </summary>
    public BerthSettings MergeInto(BerthSettings config) => new()
    {
        Server = config.Server,
        Storage = config.Storage,
        Registry = config.Registry,
        Tokens = config.Tokens,
        IdentityProviders = [.. Providers(config).Select(idp => Applies(idp) ? idp with { Jwks = SyncedKeys[idp.Name].Jwks, JwksFile = null } : idp)],
        Projects = [.. config.Projects, .. Projects.Values],
        Robots = [.. config.Robots, .. Robots.Values],
    };

    /// <summary>
    /// Whether keys synced for <paramref name="name"/> apply: the provider still exists (in the file or
    /// here), still has the issuer whose token sent them, and is still configured with a static JWKS. A
    /// provider the file moved to a discovery or JWKS URL, or to another issuer, never runs on old synced keys.
    /// </summary>
    public bool SyncedKeysApplyTo(string name, BerthSettings config) =>
        Providers(config).FirstOrDefault(p => p.Name == name) is { } idp && Applies(idp);

    private IEnumerable<IdentityProviderSettings> Providers(BerthSettings config) => config.IdentityProviders.Concat(IdentityProviders.Values);

    private bool Applies(IdentityProviderSettings idp) =>
        SyncedKeys.TryGetValue(idp.Name, out var synced)
        && string.Equals(synced.Issuer, idp.Issuer, StringComparison.Ordinal)
        && idp.DiscoveryUrl is null && idp.JwksUrl is null && (idp.Jwks is not null || idp.JwksFile is not null);
}
