using Berth.Access.Tokens;
using Berth.Configuration;

namespace Berth.Auth;

/// <summary>
/// Berth's signing key with the issuer and verifier built on it. The key is loaded (or generated
/// into the data folder) at start-up, before the server takes requests.
/// </summary>
internal sealed class RegistryTokens(BerthSettings settings, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan ReuseWindow = TimeSpan.FromSeconds(5);

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
            // The same claims asked for again within a few seconds (docker login then push, a CI step's pulls)
            // get the token just signed: a signature is a quarter of an exchange's CPU. RecentRegistryTokens
            // says why that is safe.
            ReuseWindow = TimeSpan.FromTicks(Math.Min(ReuseWindow.Ticks, settings.Tokens.Lifetime.Ticks / 10)),
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
