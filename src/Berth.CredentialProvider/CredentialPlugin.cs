using System.Text.Json;
using Berth.CredentialProvider.Images;
using Berth.CredentialProvider.Protocol;
using Berth.CredentialProvider.Tokens;

namespace Berth.CredentialProvider;

/// <summary>
/// Turns a kubelet request into Basic credentials <c>jwt:&lt;service-account token&gt;</c> for the
/// image's registry. Straight line: parse → check type → find registry → read exp → answer.
/// </summary>
internal static class CredentialPlugin
{
    /// <summary>Never empty: containerd treats the password of an empty username as a refresh token.</summary>
    public const string Username = "jwt";

    public static PluginResult Handle(ReadOnlySpan<byte> requestJson, PluginOptions options, DateTimeOffset now)
    {
        CredentialProviderRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(requestJson, ProtocolJsonContext.Default.CredentialProviderRequest);
        }
        catch (JsonException e)
        {
            return PluginResult.Failure($"malformed request JSON on stdin: {FirstLine(e.Message)}");
        }

        if (request is null)
        {
            return PluginResult.Failure("malformed request JSON on stdin: expected a CredentialProviderRequest object");
        }

        if (request.ApiVersion != ProtocolNames.ApiVersion)
        {
            return PluginResult.Failure(
                $"unsupported apiVersion \"{request.ApiVersion}\": set apiVersion: {ProtocolNames.ApiVersion} for this provider in the kubelet's CredentialProviderConfig");
        }

        if (request.Kind != ProtocolNames.RequestKind)
        {
            return PluginResult.Failure($"unexpected kind \"{request.Kind}\": expected {ProtocolNames.RequestKind}");
        }

        if (string.IsNullOrWhiteSpace(request.Image))
        {
            return PluginResult.Failure("the request has no image");
        }

        if (!ImageReference.TryGetRegistry(request.Image, out var registry, out var imageError))
        {
            return PluginResult.Failure(imageError);
        }

        if (string.IsNullOrEmpty(request.ServiceAccountToken))
        {
            return PluginResult.Failure(
                "the request has no serviceAccountToken: configure tokenAttributes (serviceAccountTokenAudience, cacheType: Token, requireServiceAccount: true) for this provider in the kubelet's CredentialProviderConfig; with requireServiceAccount: false, pods without a service account reach the plugin with no token");
        }

        if (!JwtExpiry.TryRead(request.ServiceAccountToken, out var expiresAt, out var tokenError)
            || !CacheLifetime.TryCompute(expiresAt, now, out var lifetime, out tokenError))
        {
            return PluginResult.Failure(tokenError);
        }

        return PluginResult.Success(new CredentialProviderResponse
        {
            ApiVersion = ProtocolNames.ApiVersion,
            CacheKeyType = options.CacheKeyType,
            CacheDuration = GoDuration.Format(lifetime),
            Auth = new Dictionary<string, AuthConfig>(StringComparer.Ordinal)
            {
                [registry] = new AuthConfig(Username, request.ServiceAccountToken),
            },
        });
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
