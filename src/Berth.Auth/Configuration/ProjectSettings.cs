namespace Berth.Configuration;

/// <summary>A project: the first path component of repository names (<c>projects:</c>).</summary>
public sealed record ProjectSettings
{
    public string Name { get; init; } = string.Empty;

    /// <summary>Anyone, even without credentials, may pull.</summary>
    public bool Public { get; init; }
}
