using Berth.Access.Scopes;

namespace Berth.Access.Permissions;

/// <summary>One access a registry request needs, in the Docker scope vocabulary (<c>repository:name:push</c>).</summary>
public sealed record AccessRequirement(string Type, string Name, string Action)
{
    public static readonly AccessRequirement Catalog = new(ResourceScope.RegistryType, ResourceScope.CatalogName, RegistryActions.Any);

    public static AccessRequirement Pull(string repository) => new(ResourceScope.RepositoryType, repository, RegistryActions.Pull);

    public static AccessRequirement Push(string repository) => new(ResourceScope.RepositoryType, repository, RegistryActions.Push);

    public static AccessRequirement Delete(string repository) => new(ResourceScope.RepositoryType, repository, RegistryActions.Delete);
}
