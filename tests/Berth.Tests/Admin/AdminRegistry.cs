using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Auth.Admin;
using Berth.Tests.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Admin;

/// <summary>A <see cref="FederatedRegistry"/> whose administrator password is known, with an admin token ready.</summary>
internal sealed class AdminRegistry : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";

    private AdminRegistry(FederatedRegistry registry, string token)
    {
        Registry = registry;
        Token = token;
    }

    public FederatedRegistry Registry { get; }

    /// <summary>An admin token made with the bootstrap password.</summary>
    public string Token { get; }

    public HttpClient Client => Registry.Client;

    /// <param name="editConfig">E.g. <c>_ => ""</c> for open mode.</param>
    /// <param name="services">More services after the bootstrap password, e.g. a log capture.</param>
    public static async Task<AdminRegistry> StartAsync(Func<string, string>? editConfig = null, Action<IServiceCollection>? services = null)
    {
        var registry = await FederatedRegistry.StartAsync(editConfig, collection =>
        {
            collection.AddSingleton(new AdminBootstrapOptions(Password));
            services?.Invoke(collection);
        });
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { name = "test-admin" }) };
        login.Headers.Authorization = FederatedRegistry.Basic("admin", Password);
        using var response = await registry.Client.SendAsync(login);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return new AdminRegistry(registry, JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, AuthenticationHeaderValue? authorization = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        request.Headers.Authorization = authorization ?? FederatedRegistry.Bearer(Token);
        return Client.SendAsync(request);
    }

    /// <summary>Sends and returns the status with the parsed JSON body (null when empty).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> CallAsync(HttpMethod method, string path, object? body = null, AuthenticationHeaderValue? authorization = null)
    {
        using var response = await SendAsync(method, path, body, authorization);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A federated robot on the seed GitHub issuer, pinned to the seed repository, pushing to <c>library/api/**</c>.</summary>
    public static object GitHubRobot(string name) => new
    {
        name,
        identityProvider = "github",
        rules = new object[]
        {
            new { claim = "repository_owner_id", equals = "46576199" },
            new { claim = "repository", equals = "container-registry/federated-idp-examples" },
        },
        permissions = new[] { new { project = "library", repositories = "api/**", actions = new[] { "pull", "push" } } },
    };

    public ValueTask DisposeAsync() => Registry.DisposeAsync();
}
