namespace Berth.Configuration;

/// <summary><c>{ project: library, repositories: "app/**", actions: [pull, push] }</c>; repositories may use <c>${claim}</c>.</summary>
public sealed class PermissionSettings
{
    public string Project { get; set; } = string.Empty;

    public string Repositories { get; set; } = "**";

    public List<string> Actions { get; set; } = [];
}
