using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Berth.Cli.Admin;

/// <summary>The CLI's side of the admin API: one call, its status and JSON body, or an error that says what to do.</summary>
internal sealed class AdminClient(Uri baseAddress, AuthenticationHeaderValue authorization) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A client from the stored login; null (and a message on stderr) when not logged in.</summary>
    public static async Task<AdminClient?> FromLoginAsync(CancellationToken cancellationToken)
    {
        var credentials = await CredentialsFile.LoadAsync(cancellationToken);
        if (credentials is null)
        {
            await Console.Error.WriteLineAsync("berth: not logged in: run berth login URL --username admin --password-stdin");
            return null;
        }

        return new AdminClient(new Uri(credentials.Url), new AuthenticationHeaderValue("Bearer", credentials.Token));
    }

    public async Task<AdminResponse> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = authorization;
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: AdminJson.Options);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json"
                ? JsonDocument.Parse(text).RootElement.Clone()
                : default;
            return new AdminResponse(response.StatusCode, json, text, null);
        }
        catch (HttpRequestException e)
        {
            return new AdminResponse(0, default, string.Empty, $"cannot reach {http.BaseAddress}: {e.Message}; check the URL given to berth login");
        }
    }

    public void Dispose() => http.Dispose();
}

/// <summary>One admin API answer; <see cref="Failure"/> explains a refusal or a network error.</summary>
internal sealed record AdminResponse(HttpStatusCode Status, JsonElement Json, string Text, string? NetworkError)
{
    public bool Ok => NetworkError is null && (int)Status is >= 200 and < 300;

    public string Failure
    {
        get
        {
            if (NetworkError is not null)
            {
                return NetworkError;
            }

            var messages = Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("errors", out var errors)
                ? string.Join(Environment.NewLine + "  ", errors.EnumerateArray().Select(e => e.GetString()))
                : $"HTTP {(int)Status}";
            return Status == HttpStatusCode.Unauthorized
                ? $"{messages}{Environment.NewLine}  (log in again: berth login URL --username admin --password-stdin)"
                : messages;
        }
    }

    /// <summary>Prints the refusal and returns the exit code for it.</summary>
    public async Task<int> FailAsync()
    {
        await Console.Error.WriteLineAsync("berth: " + Failure);
        return ExitCodes.Error;
    }
}
