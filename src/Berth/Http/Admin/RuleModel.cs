using System.Text.Json.Serialization;
using Berth.Configuration;

namespace Berth.Http.Admin;

/// <summary>A claim rule in the admin API (robot bodies and views): the claim and one operator.</summary>
/// <param name="EqualTo">The <c>equals</c> operator (a record cannot have a member named Equals).</param>
internal sealed record RuleModel(
    string Claim,
    [property: JsonPropertyName("equals")] string? EqualTo = null,
    string? Glob = null,
    string? Regex = null,
    IReadOnlyList<string>? In = null)
{
    public static RuleModel Of(RuleSettings rule) => new(rule.Claim, rule.EqualTo, rule.Glob, rule.Regex, rule.In);

    public RuleSettings ToSettings() => new() { Claim = Claim ?? string.Empty, EqualTo = EqualTo, Glob = Glob, Regex = Regex, In = In is null ? null : [.. In] };
}

/// <summary>A permission in a robot body: repositories default to every repository of the project.</summary>
internal sealed record PermissionModel
{
    public string Project { get; init; } = string.Empty;

    public string Repositories { get; init; } = "**";

    public IReadOnlyList<string> Actions { get; init; } = [];

    public PermissionSettings ToSettings() => new() { Project = Project, Repositories = Repositories, Actions = [.. Actions ?? []] };
}
