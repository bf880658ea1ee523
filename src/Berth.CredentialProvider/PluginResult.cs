using Berth.CredentialProvider.Protocol;

namespace Berth.CredentialProvider;

/// <summary>Either a response for stdout or a one-line reason for stderr; expected failures are not exceptions.</summary>
internal sealed record PluginResult(CredentialProviderResponse? Response, string? Error)
{
    public static PluginResult Success(CredentialProviderResponse response) => new(response, null);

    public static PluginResult Failure(string error) => new(null, error);
}
