using System.Text;
using System.Text.Json;

namespace Berth.Kube;

/// <summary>Reads the projected service-account token; the kubelet rewrites the file before it expires, so it is read on every run.</summary>
public static class WorkloadTokenFile
{
    public static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        string token;
        try
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RefreshFailure($"token file {path} does not exist: mount a projected service-account token there (audience = the registry)", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new RefreshFailure($"token file {path} cannot be read: {e.Message}", e);
        }

        return token.Length == 0
            ? throw new RefreshFailure($"token file {path} is empty")
            : token;
    }

    /// <summary>The unverified <c>sub</c>, only to label the Secret; null when the token is not a readable JWT (the registry decides validity).</summary>
    public static string? Subject(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return claims.RootElement.ValueKind == JsonValueKind.Object && claims.RootElement.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String
                ? sub.GetString()
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
