namespace Berth.Configuration;

/// <summary>A project: the first path component of repository names (<c>projects:</c>).</summary>
public sealed class ProjectSettings
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Anyone, even without credentials, may pull.</summary>
    public bool Public { get; set; }
}
