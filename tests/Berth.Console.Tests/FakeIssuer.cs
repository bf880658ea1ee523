using System.Text.Json.Nodes;
using Berth.Federation.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Console.Tests;

/// <summary>
/// A GitHub-style OIDC issuer on 127.0.0.1 (a GitHub Enterprise Server has its own issuer URL): OIDC
/// discovery and a JWKS over plain HTTP, and tokens with the seed GitHub claims signed with the test's own key.
/// </summary>
internal sealed class FakeIssuer : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeIssuer(WebApplication app, string issuer)
    {
        this.app = app;
        Issuer = issuer;
    }

    public TestKey Key { get; } = TestKey.Rsa("fake-gh-1");

    /// <summary>The issuer URL, e.g. <c>http://127.0.0.1:40123</c>: the tokens' <c>iss</c> and the discovery document's <c>issuer</c>.</summary>
    public string Issuer { get; }

    public static async Task<FakeIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeIssuer? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(
            new JsonObject { ["issuer"] = issuer!.Issuer, ["jwks_uri"] = issuer.Issuer + "/jwks" }.ToJsonString(), "application/json"));
        app.MapGet("/jwks", () => Results.Text(TestKey.Jwks(issuer!.Key), "application/json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        issuer = new FakeIssuer(app, address);
        return issuer;
    }

    /// <summary>A workload token with GitHub's claims, issued by this issuer at <paramref name="now"/>.</summary>
    public string Token(DateTimeOffset now, Action<JsonObject>? edit = null)
    {
        var claims = SeedClaims.GitHubAt(now);
        claims["iss"] = Issuer;
        edit?.Invoke(claims);
        return Key.Sign(claims.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Key.Dispose();
    }
}
