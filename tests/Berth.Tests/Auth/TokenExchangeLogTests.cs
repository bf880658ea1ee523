using Berth.Tests.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Auth;

/// <summary>The server log says once per token exchange how it ended, never "accepted" for a token then refused.</summary>
public sealed class TokenExchangeLogTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider logs = new();
    private FederatedRegistry registry = null!;

    public async Task InitializeAsync() => registry = await FederatedRegistry.StartAsync(null, services => services.AddSingleton<ILoggerProvider>(logs));

    public async Task DisposeAsync() => await registry.DisposeAsync();

    [Fact]
    public async Task Exchange_ValidTokenMatchingNoRobot_LogsOneRefusalWithJtiAndNeverTheToken()
    {
        const string Jti = "log-test-no-robot-1";
        var token = registry.GitHubToken(c =>
        {
            c["repository_owner_id"] = "1";
            c["jti"] = Jti;
        });

        using var response = await registry.RequestTokenAsync(token, scopes: "repository:library/app/web:pull");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        var lines = logs.Messages.Where(m => m.Contains(Jti, StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Contains("refused", line, StringComparison.Ordinal);
        Assert.Contains("no_robot_matched", line, StringComparison.Ordinal);
        Assert.Contains("https://token.actions.githubusercontent.com", line, StringComparison.Ordinal);
        Assert.Contains("repo:container-registry/federated-idp-examples:ref:refs/heads/main", line, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Contains("Accepted workload token", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(token.Split('.')[2], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exchange_MatchedToken_LogsOneAcceptanceNamingTheRobot()
    {
        const string Jti = "log-test-accepted-1";

        await registry.TokenAsync(registry.GitHubToken(c => c["jti"] = Jti), "repository:library/app/web:pull");

        var line = Assert.Single(logs.Messages, m => m.Contains(Jti, StringComparison.Ordinal));
        Assert.Contains("accepted", line, StringComparison.Ordinal);
        Assert.Contains("ci-push", line, StringComparison.Ordinal);
    }
}
