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

    /// <summary>
    /// What anyone but the server log hears about a JWKS file that cannot be used, whether it is missing,
    /// unreadable or not a JWKS document: one message for all, so an admin API caller cannot probe which
    /// paths exist on the server.
    /// </summary>
    public static string Unreadable(string path) =>
        $"'{path}' is not a readable JWKS file (it must exist, be readable by Berth and hold a JWKS document)";

    public async Task<IReadOnlyList<JsonWebKey>> FetchAsync(CancellationToken cancellationToken)
    {
        if (_json is not null)
        {
            return Parse(_json);
        }

        try
        {
            return Parse(await System.IO.File.ReadAllTextAsync(_path!, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeySourceException)
        {
            throw FileFailure(e);
        }
    }

    /// <summary>
    /// The keys now, without waiting on anything remote: a pasted document, or a small local file. So a
    /// provider shows (and uses) its keys from the moment it exists, not from its first token.
    /// </summary>
    /// <exception cref="KeySourceException">Not a JWKS document, or the file cannot be read.</exception>
    public IReadOnlyList<JsonWebKey> Load()
    {
        if (_json is not null)
        {
            return Parse(_json);
        }

        try
        {
            return Parse(System.IO.File.ReadAllText(_path!));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeySourceException)
        {
            throw FileFailure(e);
        }
    }

    private KeySourceException FileFailure(Exception e) => new($"jwksFile {Unreadable(_path!)}") { Detail = e.Message };

    private IReadOnlyList<JsonWebKey> Parse(string json)
    {
        try
        {
            return SigningKeys.Parse(json);
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or FormatException)
        {
            throw new KeySourceException($"{Description} is not a JWKS document: {e.Message}", e);
        }
    }
}
