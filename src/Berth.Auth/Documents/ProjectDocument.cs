using Berth.Configuration;

namespace Berth.Auth.Documents;

/// <summary>A project made through the admin API, as stored in <c>admin_documents</c> (kind <c>project</c>).</summary>
/// <param name="SchemaVersion">1; rows written before the field existed read as 1.</param>
internal sealed record ProjectDocument(string Name, bool Public, int SchemaVersion = 1)
{
    public static ProjectDocument Of(ProjectSettings project) => new(project.Name, project.Public);

    public ProjectSettings ToSettings() => new() { Name = Name, Public = Public };
}
