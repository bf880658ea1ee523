namespace Berth.Http.Registry;

/// <summary>One access a registry request needs, in the Docker scope vocabulary (<c>repository:name:push</c>).</summary>
internal sealed record AccessRequirement(string Type, string Name, string Action)
{
    public static AccessRequirement Pull(string repository) => new("repository", repository, "pull");

    public static AccessRequirement Push(string repository) => new("repository", repository, "push");

    public static AccessRequirement Delete(string repository) => new("repository", repository, "delete");

    public static readonly AccessRequirement Catalog = new("registry", "catalog", "*");
}
