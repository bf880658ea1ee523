namespace Berth.Http.Admin;

/// <summary>The body of <c>PUT /projects/{name}</c>: the name is the path's (a <c>name</c> in the body is ignored).</summary>
internal sealed record ProjectUpdateRequest
{
    /// <summary>Anyone, even without credentials, may pull.</summary>
    public bool Public { get; init; }
}
