namespace Berth.Access.Permissions;

/// <summary>
/// What a robot may do: <paramref name="Actions"/> (a subset of pull, push, delete) on the repositories of
/// <paramref name="Project"/> (or every project when it is <c>*</c>) whose path inside the project
/// matches the glob <paramref name="Repositories"/>.
/// </summary>
public sealed record Permission(string Project, string Repositories, IReadOnlyList<string> Actions);
