using System.Net;
using Berth.Tests.Auth;

namespace Berth.Tests.Admin;

/// <summary>Password guessing on the admin API is slowed per client IP and per username, on the server's clock.</summary>
public sealed class AdminLoginThrottleTests : IAsyncLifetime
{
    private AdminRegistry admin = null!;

    public async Task InitializeAsync() => admin = await AdminRegistry.StartAsync();

    public async Task DisposeAsync() => await admin.DisposeAsync();

    [Fact]
    public async Task Login_AfterRepeatedFailures_Answers429WithRetryAfterEvenForTheRightPassword()
    {
        for (var attempt = 0; attempt < 6; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync("guess-" + attempt));
        }

        using var response = await admin.SendAsync(HttpMethod.Get, "/api/v1/projects", authorization: FederatedRegistry.Basic("admin", AdminRegistry.Password));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Contains("too many failed administrator logins", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_EachFurtherFailure_DoublesTheWaitOnTheServersClock()
    {
        var answers = new List<string>();
        for (var attempt = 0; attempt < 14; attempt++)
        {
            using var response = await admin.SendAsync(HttpMethod.Get, "/api/v1/projects", authorization: FederatedRegistry.Basic("admin", "guess-" + attempt));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var wait = response.Headers.RetryAfter!.Delta!.Value;
                answers.Add($"429 {wait.TotalSeconds}");
                admin.Registry.Time.Advance(wait);
            }
            else
            {
                answers.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        // Five failures are free; the sixth blocks for 1 s, and each failure after a wait doubles it.
        Assert.Equal(["401", "401", "401", "401", "401", "401", "429 1", "401", "429 2", "401", "429 4", "401", "429 8", "401"], answers);
    }

    [Fact]
    public async Task Login_OnceTheWaitIsOver_TheRightPasswordWorksAndClearsTheCount()
    {
        for (var attempt = 0; attempt < 6; attempt++)
        {
            await LoginAsync("guess-" + attempt);
        }

        admin.Registry.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(AdminRegistry.Password));

        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync("one-more-guess"));
    }

    [Fact]
    public async Task Login_Throttled_IsAuditedAsRefused()
    {
        for (var attempt = 0; attempt < 7; attempt++)
        {
            await LoginAsync("guess-" + attempt);
        }

        var entries = await admin.Registry.AuditAsync(e => e.Kind == "admin" && e.Reason?.Contains(" 429", StringComparison.Ordinal) == true);

        var throttled = Assert.Single(entries, e => e.Kind == "admin" && e.Reason?.Contains(" 429", StringComparison.Ordinal) == true);
        Assert.Equal("refused", throttled.Outcome);
        Assert.Equal("GET /api/v1/projects 429 (throttled)", throttled.Reason);
    }

    [Fact]
    public async Task Token_AdminTokenDuringAPasswordThrottle_StillWorks()
    {
        for (var attempt = 0; attempt < 7; attempt++)
        {
            await LoginAsync("guess-" + attempt);
        }

        var (status, _) = await admin.CallAsync(HttpMethod.Get, "/api/v1/projects");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private async Task<HttpStatusCode> LoginAsync(string password)
    {
        using var response = await admin.SendAsync(HttpMethod.Get, "/api/v1/projects", authorization: FederatedRegistry.Basic("admin", password));
        return response.StatusCode;
    }
}
