using System.Net;
using Berth.Tests.Auth;

namespace Berth.Tests.Admin;

/// <summary>
/// A push outside the robot's permissions gets a login-only token; the audit log must still show the
/// refusal, per repository and action, findable by outcome, repository and robot.
/// </summary>
public sealed class DeniedScopeAuditTests : IAsyncLifetime
{
    private AdminRegistry admin = null!;

    public async Task InitializeAsync()
    {
        admin = await AdminRegistry.StartAsync();

        // ci-push may push to library/app/** only: library/other/hello is outside, project "other" does not exist.
        await admin.Registry.TokenAsync(admin.Registry.GitHubToken(), "repository:library/other/hello:pull,push", "repository:library/app/web:pull,push", "repository:other/hello:push");
        await admin.Registry.AuditAsync(e => e.Repository == "other/hello");
    }

    public async Task DisposeAsync() => await admin.DisposeAsync();

    [Fact]
    public async Task Query_RefusedForRepository_FindsEachDeniedActionWithRobot()
    {
        var (status, body) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit?outcome=refused&repository=library/other/hello");

        Assert.Equal(HttpStatusCode.OK, status);
        var entries = body.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["pull", "push"], entries.Select(e => e.GetProperty("kind").GetString()).Order());
        Assert.All(entries, e =>
        {
            Assert.Equal("ci-push", e.GetProperty("robots").GetString());
            Assert.Equal("repo:container-registry/federated-idp-examples:ref:refs/heads/main", e.GetProperty("subject").GetString());
            Assert.StartsWith("not_granted: repository:library/other/hello:", e.GetProperty("reason").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Query_RefusedForRobot_FindsDeniedScopesButNotGrantedOnes()
    {
        var (_, body) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit?outcome=refused&robot=ci-push");

        var refused = body.GetProperty("entries").EnumerateArray().Select(e => $"{e.GetProperty("kind").GetString()} {e.GetProperty("repository").GetString()}").Order().ToList();
        Assert.Equal(["pull library/other/hello", "push library/other/hello", "push other/hello"], refused);
    }

    [Fact]
    public async Task Query_UndeclaredProject_ReasonSaysSo()
    {
        var (_, body) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit?outcome=refused&repository=other/hello");

        var entry = Assert.Single(body.GetProperty("entries").EnumerateArray());
        Assert.Contains("project 'other' is not declared", entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_TheExchangeItself_IsAcceptedAndListsWhatWasDenied()
    {
        var (_, body) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit?kind=token&outcome=accepted");

        var entry = Assert.Single(body.GetProperty("entries").EnumerateArray());
        var reason = entry.GetProperty("reason").GetString()!;
        Assert.Contains("granted: repository:library/app/web:pull,push", reason, StringComparison.Ordinal);
        Assert.Contains("denied: repository:library/other/hello:pull,push", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_UnknownOutcome_IsRejectedListingTheKnownOnes()
    {
        var (status, body) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit?outcome=denied");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("outcome 'denied' is not known: use one of accepted, refused", body.GetProperty("errors")[0].GetString());
    }
}
