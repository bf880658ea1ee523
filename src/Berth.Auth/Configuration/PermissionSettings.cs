namespace Berth.Configuration;

/// <summary><c>{ project: library, repositories: "app/**", actions: [pull, push] }</c>; repositories may use <c>${claim}</c>.</summary>
public sealed record PermissionSettings
{
    public string Project { get; init; } = string.Empty;

    public string Repositories { get; init; } = "**";

    public List<string> Actions { get; init; } = [];
}
