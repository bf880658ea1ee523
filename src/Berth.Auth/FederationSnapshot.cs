using Berth.Access.Permissions;
using Berth.Configuration;
using Berth.Federation.Robots;
using Berth.Federation.Tokens;

namespace Berth.Auth;

/// <summary>
/// One immutable view of federation: the merged model (configuration file plus objects made through the
/// admin API), the matcher and validator built on it, and which objects the file declares. Requests read
/// one snapshot and keep it to the end, so a change never shows half-applied.
/// </summary>
/// <param name="Api">The objects managed through the admin API, in the shape the configuration file uses.</param>
internal sealed record FederationSnapshot(
    FederationModel Model,
    RobotMatcher Matcher,
    WorkloadTokenValidator Validator,
    ManagedObjects Api,
    ConfigNames Config)
{
    /// <summary>What anyone may do, even without credentials: pull from public projects.</summary>
    public IReadOnlyList<Permission> PublicPermissions { get; } = Model.Projects
        .Where(p => p.Value)
        .Select(p => new Permission(p.Key, "**", [RegistryActions.Pull]))
        .ToList();

    private readonly Lazy<IReadOnlyList<LintWarning>> warnings = new(() => RobotLinter.LintAll(Model.Robots, Model.IdentityProviders));

    /// <summary>Every robot's lint warnings, computed on first use and once per snapshot (not on the writer's path or a replica's reload).</summary>
    public IReadOnlyList<LintWarning> Warnings => warnings.Value;

    /// <summary>One robot's lint warnings.</summary>
    public IReadOnlyList<LintWarning> WarningsOf(string robot) =>
        Warnings.Where(w => string.Equals(w.Robot, robot, StringComparison.Ordinal)).ToList();

    /// <summary>No identity provider and no robot: the registry asks for no credentials.</summary>
    public bool IsOpen => Model.IsOpen;

    /// <summary><c>config</c> when the configuration file declares the object, else <c>api</c>.</summary>
    public static string ManagedBy(bool inConfig) => inConfig ? "config" : "api";
}

/// <summary>Names of the objects the configuration file declares (they refuse changes through the API).</summary>
internal sealed record ConfigNames(IReadOnlySet<string> IdentityProviders, IReadOnlySet<string> Projects, IReadOnlySet<string> Robots)
{
    public static ConfigNames From(BerthSettings settings) => new(
        settings.IdentityProviders.Select(p => p.Name).ToHashSet(StringComparer.Ordinal),
        settings.Projects.Select(p => p.Name).ToHashSet(StringComparer.Ordinal),
        settings.Robots.Select(r => r.Name).ToHashSet(StringComparer.Ordinal));

    public bool Contains(string kind, string name) => kind switch
    {
        ObjectKinds.IdentityProvider => IdentityProviders.Contains(name),
        ObjectKinds.Project => Projects.Contains(name),
        ObjectKinds.Robot => Robots.Contains(name),
        _ => false,
    };
}
