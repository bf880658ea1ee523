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
        ObjectKinds.SyncedJwks => SyncedKeys.ContainsKey(name),
        _ => false,
    };

    /// <summary>
    /// The configuration file's objects followed by these, as one settings object for <see cref="FederationSetup"/>;
    /// a provider with synced keys gets them in place of its configured static JWKS.
    /// </summary>
    public BerthSettings MergeInto(BerthSettings config) => new()
    {
        Server = config.Server,
        Storage = config.Storage,
        Registry = config.Registry,
        Tokens = config.Tokens,
        IdentityProviders = [.. config.IdentityProviders.Concat(IdentityProviders.Values).Select(WithSyncedKeys)],
        Projects = [.. config.Projects, .. Projects.Values],
        Robots = [.. config.Robots, .. Robots.Values],
    };

    private IdentityProviderSettings WithSyncedKeys(IdentityProviderSettings idp) =>
        SyncedKeys.TryGetValue(idp.Name, out var synced) ? idp.WithStaticJwks(synced.Jwks) : idp;
}
