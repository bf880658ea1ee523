using Microsoft.IdentityModel.Tokens;

namespace Berth.Federation.IdentityProviders;

/// <summary>A pasted JWKS (never refreshed, never stale) or a JWKS file (re-read on refresh).</summary>
internal sealed class StaticKeySource : IKeySource
{
    private readonly string? _json;
    private readonly string? _path;

    private StaticKeySource(string? json, string? path)
    {
        _json = json;
        _path = path;
    }

    public string Description => _path is null ? "jwks (pasted)" : $"jwksFile {_path}";

    public bool IsRefreshable => _path is not null;

    public static StaticKeySource Pasted(string json) => new(json, null);

    public static StaticKeySource File(string path) => new(null, path);

    public async Task<IReadOnlyList<JsonWebKey>> FetchAsync(CancellationToken cancellationToken) =>
        Parse(_json ?? await System.IO.File.ReadAllTextAsync(_path!, cancellationToken));

    /// <summary>
    /// The keys now, without waiting on anything remote: a pasted document, or a small local file. So a
    /// provider shows (and uses) its keys from the moment it exists, not from its first token.
    /// </summary>
    /// <exception cref="KeySourceException">Not a JWKS document.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public IReadOnlyList<JsonWebKey> Load() => Parse(_json ?? System.IO.File.ReadAllText(_path!));

    private IReadOnlyList<JsonWebKey> Parse(string json)
    {
        try
        {
            return SigningKeys.Parse(json);
        }
        catch (ArgumentException e)
        {
            throw new KeySourceException($"{Description} is not a JWKS document: {e.Message}", e);
        }
    }
}
