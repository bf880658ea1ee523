using System.Text.Json;
using Berth.Access.Permissions;

namespace Berth.Auth.Documents;

/// <summary>
/// A permission as stored: in a robot document, and as the JSON array in a refresh token's
/// <c>permissions_json</c> (whose version is that array form: a later one would store an object).
/// </summary>
internal sealed record PermissionDocument(string Project, string Repositories, IReadOnlyList<string>? Actions)
{
    /// <summary>A refresh token's permissions as its <c>permissions_json</c> holds them.</summary>
    public static string ToJson(IEnumerable<Permission> permissions) =>
        JsonSerializer.Serialize(permissions.Select(p => new PermissionDocument(p.Project, p.Repositories, p.Actions)).ToList(), StoredJson.Options);

    public static List<Permission> FromJson(string json) =>
        [.. (JsonSerializer.Deserialize<List<PermissionDocument>>(json, StoredJson.Options) ?? []).Select(p => new Permission(p.Project, p.Repositories, p.Actions ?? []))];
}
