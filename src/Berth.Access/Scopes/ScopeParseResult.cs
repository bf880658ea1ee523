namespace Berth.Access.Scopes;

/// <summary>
/// The outcome of parsing the <c>scope</c> parameters of a token request: the valid scopes, merged per
/// resource, and the raw strings that were not valid scopes (reported so the caller can log them; a
/// token request with an invalid scope still gets the valid ones, as the reference server does).
/// </summary>
public sealed record ScopeParseResult(IReadOnlyList<ResourceScope> Scopes, IReadOnlyList<string> Invalid)
{
    public bool HasInvalid => Invalid.Count > 0;
}
