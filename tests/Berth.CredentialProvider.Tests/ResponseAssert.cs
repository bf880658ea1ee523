using System.Text.Json;

namespace Berth.CredentialProvider.Tests;

/// <summary>
/// Checks a response as the kubelet's strict decoder would see it: only the credentialprovider/v1
/// fields, the right GVK, and jwt:&lt;token&gt; for exactly one registry key.
/// </summary>
internal static class ResponseAssert
{
    private static readonly string[] ResponseFields = ["apiVersion", "kind", "cacheKeyType", "cacheDuration", "auth"];

    public static JsonElement IsCredentialFor(string json, string registry, string token, string cacheKeyType = "Registry")
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement.Clone();
        var names = root.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.All(names, name => Assert.Contains(name, ResponseFields));
        Assert.Equal(ResponseFields.Length, names.Length);
        Assert.Equal("credentialprovider.kubelet.k8s.io/v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("CredentialProviderResponse", root.GetProperty("kind").GetString());
        Assert.Equal(cacheKeyType, root.GetProperty("cacheKeyType").GetString());

        var auth = root.GetProperty("auth").EnumerateObject().ToArray();
        var entry = Assert.Single(auth);
        Assert.Equal(registry, entry.Name);
        Assert.Equal(["username", "password"], entry.Value.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("jwt", entry.Value.GetProperty("username").GetString());
        Assert.Equal(token, entry.Value.GetProperty("password").GetString());
        return root;
    }

    /// <summary>Parses the Go duration forms the plugin emits ("54m0s", "1h0m0s", "45s").</summary>
    public static TimeSpan CacheDuration(JsonElement response)
    {
        var text = response.GetProperty("cacheDuration").GetString() ?? throw new InvalidOperationException("null cacheDuration");
        var total = TimeSpan.Zero;
        var number = 0L;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                number = (number * 10) + (c - '0');
                continue;
            }

            total += c switch
            {
                'h' => TimeSpan.FromHours(number),
                'm' => TimeSpan.FromMinutes(number),
                's' => TimeSpan.FromSeconds(number),
                _ => throw new FormatException($"unexpected unit '{c}' in {text}"),
            };
            number = 0;
        }

        Assert.EndsWith("s", text, StringComparison.Ordinal);
        return total;
    }
}
