using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Berth.Kube;

/// <summary>
/// Trades the pod's service-account token for a Berth refresh token, as <c>docker login</c> would:
/// read realm and service from the <c>GET /v2/</c> challenge, then <c>GET realm?offline_token=true</c>
/// with Basic <c>jwt:&lt;token&gt;</c> (a non-empty username: some clients read an empty one as
/// "the password is a refresh token").
/// </summary>
internal sealed class RegistryCredentialExchange(HttpClient http, TimeProvider time)
{
    public const string ClientId = "berth-refresh-pull-secret";
    private const string Username = "jwt";

    public async Task<RegistryCredential> ExchangeAsync(PullSecretRefreshOptions options, string workloadToken, CancellationToken cancellationToken)
    {
        var challenge = options.Service is { } service
            ? new RegistryChallenge(new Uri(options.Registry, "/service/token"), service)
            : await DiscoverAsync(options.Registry, cancellationToken);

        // The realm receives the workload token: never downgrade it to plain HTTP behind an HTTPS registry.
        if (options.Registry.Scheme == Uri.UriSchemeHttps && challenge.Realm.Scheme != Uri.UriSchemeHttps)
        {
            throw new RefreshFailure($"the registry's token realm {challenge.Realm} is not HTTPS; refusing to send the service-account token there");
        }

        var query = $"service={Uri.EscapeDataString(challenge.Service)}&offline_token=true&client_id={ClientId}";
        var url = new UriBuilder(challenge.Realm) { Query = string.IsNullOrEmpty(challenge.Realm.Query) ? query : challenge.Realm.Query.TrimStart('?') + "&" + query }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{workloadToken}")));
        using var response = await SendAsync(request, $"token service {challenge.Realm.GetLeftPart(UriPartial.Path)}", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new RefreshFailure($"token exchange refused ({(int)response.StatusCode}): {Refusal(body)}");
        }

        return Read(body, challenge);
    }

    private async Task<RegistryChallenge> DiscoverAsync(Uri registry, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry, "/v2/"));
        using var response = await SendAsync(request, $"registry {registry.GetLeftPart(UriPartial.Authority)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return RegistryChallenge.From(response.Headers.WwwAuthenticate, registry.Authority)
                ?? throw new RefreshFailure($"registry {registry.Authority} answered GET /v2/ with 401 but no Bearer challenge with a realm; is it a token-auth registry? (give --service to skip discovery)");
        }

        if (response.IsSuccessStatusCode)
        {
            throw new RefreshFailure($"registry {registry.Authority} answered GET /v2/ without asking for credentials: it does not use token authentication, so there is no credential to refresh");
        }

        throw new RefreshFailure($"registry {registry.Authority} answered GET /v2/ with {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RefreshFailure($"{what} unreachable: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RefreshFailure($"{what} did not answer within {http.Timeout.TotalSeconds:0} s", e);
        }
    }

    private RegistryCredential Read(string body, RegistryChallenge challenge)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new RefreshFailure("the token service answered 200 with a body that is not JSON", e);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("refresh_token", out var refresh) || refresh.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(refresh.GetString()))
        {
            throw new RefreshFailure("the token service issued no refresh_token although offline_token=true was asked: is the registry Berth?");
        }

        var issuedAt = time.GetUtcNow();
        if (root.TryGetProperty("issued_at", out var issued) && issued.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(issued.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            issuedAt = parsed;
        }

        // Not part of the Docker token spec; read when the server offers it (OAuth2 servers often name it so).
        DateTimeOffset? expiresAt = root.TryGetProperty("refresh_expires_in", out var lifetime) && lifetime.TryGetInt64(out var seconds) && seconds > 0
            ? issuedAt.AddSeconds(seconds)
            : null;
        return new RegistryCredential(refresh.GetString()!, challenge.Realm, challenge.Service, issuedAt, expiresAt);
    }

    /// <summary>The reason code and message from a refusal: Berth's <c>error</c>/<c>error_description</c>, else the registry error list, else the raw text.</summary>
    internal static string Refusal(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var reason = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null;
                var message = root.TryGetProperty("error_description", out var description) && description.ValueKind == JsonValueKind.String ? description.GetString() : null;
                if (message is null && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                    && errors[0].TryGetProperty("message", out var first) && first.ValueKind == JsonValueKind.String)
                {
                    message = first.GetString();
                    reason ??= errors[0].TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
                }

                if (reason is not null || message is not null)
                {
                    return message is null ? reason! : reason is null || message.StartsWith(reason + ":", StringComparison.Ordinal) ? message : $"{reason}: {message}";
                }
            }
        }
        catch (JsonException)
        {
        }

        var text = body.Trim();
        return text.Length == 0 ? "(empty body)" : text.Length > 300 ? text[..300] + "…" : text;
    }
}
