using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Berth.Kube;

/// <summary>
/// One run of <c>berth kube sync-jwks</c>: reads the cluster's service-account verification keys through
/// the API server (<c>/openid/v1/jwks</c>) and sends them to Berth's key sync endpoint, authenticated by
/// this pod's projected service-account token. Run it more often than the cluster keeps an old key
/// published beside a new one, and rotations need no human.
/// </summary>
public sealed class JwksSync(HttpClient http)
{
    /// <returns>The line for the job's log: the kids Berth now trusts.</returns>
    public async Task<string> RunAsync(Uri registry, string identityProvider, string token, string jwks, CancellationToken cancellationToken)
    {
        var target = new Uri(registry, $"/api/v1/identity-providers/{Uri.EscapeDataString(identityProvider)}/jwks");
        using var request = new HttpRequestMessage(HttpMethod.Put, target) { Content = new StringContent(jwks, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RefreshFailure($"registry {registry} unreachable: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RefreshFailure($"registry {registry} did not answer within {http.Timeout.TotalSeconds:0} s", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new RefreshFailure($"registry refused the keys ({(int)response.StatusCode}): {ErrorOf(body)}");
            }

            try
            {
                using var result = JsonDocument.Parse(body);
                var kids = result.RootElement.GetProperty("kids").EnumerateArray().Select(k => k.GetString()).ToList();
                return $"identity provider {identityProvider} now trusts keys {string.Join(", ", kids)}";
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new RefreshFailure($"registry {registry} accepted the keys but answered without the list of kids: is --registry a Berth?", e);
            }
        }
    }

    private static string ErrorOf(string body)
    {
        try
        {
            using var error = JsonDocument.Parse(body);
            return error.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                ? errors[0].GetString() ?? body
                : body;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
