using Berth.Access.Tokens;
using Berth.Configuration;

namespace Berth.Auth;

/// <summary>
/// Berth's signing key with the issuer and verifier built on it. The key is loaded (or generated
/// into the data folder) at start-up, before the server takes requests.
/// </summary>
internal sealed class RegistryTokens(BerthSettings settings, TimeProvider time) : IDisposable
{
    private RegistrySigningKey? key;
    private RegistryTokenIssuer? issuer;
    private RegistryTokenVerifier? verifier;

    public RegistryTokenIssuer Issuer => issuer ?? throw NotLoaded();

    public RegistryTokenVerifier Verifier => verifier ?? throw NotLoaded();

    public string JwksJson { get; private set; } = "{\"keys\":[]}";

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        key = settings.Tokens.SigningKeyFile is { } file
            ? await RegistrySigningKey.LoadPemFileAsync(file, cancellationToken)
            : await RegistrySigningKey.LoadOrCreateAsync(Path.Combine(Path.GetFullPath(settings.Storage.DataDir), "keys"), cancellationToken);
        var options = new RegistryTokenOptions
        {
            Issuer = TokenServiceNames.Issuer(settings.Server),
            Audience = TokenServiceNames.Service(settings.Server),
            Lifetime = settings.Tokens.Lifetime,
        };
        issuer = new RegistryTokenIssuer(key, options, time);
        verifier = new RegistryTokenVerifier([key], options, time);
        JwksJson = RegistryJwks.ToJson([key]);
    }

    public void Dispose()
    {
        verifier?.Dispose();
        key?.Dispose();
    }

    private static InvalidOperationException NotLoaded() => new("registry signing key not loaded yet");
}
