using Berth.Federation.IdentityProviders;
using Berth.Federation.Robots;

namespace Berth.Auth;

/// <summary>The validated identity providers, projects and robots Berth runs with.</summary>
/// <param name="Projects">Project name → public (anonymous pull).</param>
internal sealed record FederationModel(
    IReadOnlyList<IdentityProviderOptions> IdentityProviders,
    IReadOnlyList<RobotDefinition> Robots,
    IReadOnlyDictionary<string, bool> Projects)
{
    /// <summary>No identity provider and no robot: the registry asks for no credentials.</summary>
    public bool IsOpen => IdentityProviders.Count == 0 && Robots.Count == 0;

    /// <summary>The project a repository lives in: its first path component.</summary>
    public static string ProjectOf(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? repository : repository[..slash];
    }

    /// <summary>Once authentication is configured, a repository must live under a declared project.</summary>
    public bool HasProjectFor(string repository) => Projects.ContainsKey(ProjectOf(repository));
}
