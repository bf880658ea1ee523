namespace Berth.Http.Admin;

/// <summary>The body of <c>POST /projects</c>.</summary>
internal sealed record ProjectCreateRequest
{
    public string Name { get; init; } = string.Empty;

    /// <summary>Anyone, even without credentials, may pull.</summary>
    public bool Public { get; init; }
}
