using System.Text.RegularExpressions;
using Berth.Federation.Tests.Support;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Federated;

/// <summary>
/// An administrator's first session, with nothing but the CLI: read the generated password from the
/// first start's log, `berth login`, add an identity provider, a project and a robot, and a CI job's
/// JWT pushes with `skopeo copy --creds not-relevant:$JWT` — no restart, no config file.
/// </summary>
public sealed partial class AdminCliSessionTests
{
    private const string Issuer = "https://ci.corp.example";
    private const string Audience = "registry.example.com";

    [Fact]
    public async Task BerthLogin_ThenIdpProjectRobotByCli_SkopeoPushWithJwtSucceeds()
    {
        await using var data = TempDirectory.Create("admin-cli");
        await using var server = await RegistryServer.StartAsync(data.Combine("registry"), CancellationToken.None);
        await using var clients = ClientSandbox.Create(server);
        using var key = TestKey.Rsa("corp-1");
        var jwks = clients.PathOf("jwks.json");
        await File.WriteAllTextAsync(jwks, TestKey.Jwks(key));
        var password = GeneratedPassword().Match(server.Output) is { Success: true } found
            ? found.Groups["password"].Value
            : throw new Xunit.Sdk.XunitException("no generated administrator password in the first start's log:\n" + server.Output);

        await BerthAsync(clients, password, "login", server.BaseAddress.ToString(), "--username", "admin", "--password-stdin");
        await BerthAsync(clients, null, "idp", "add", "oidc", "--name", "corp", "--issuer", Issuer, "--audience", Audience, "--jwks-file", jwks);
        await BerthAsync(clients, null, "project", "add", "library");
        await BerthAsync(clients, null, "robot", "add", "ci", "--idp", "corp", "--rule", "sub=repo:corp/app:ref:refs/heads/main", "--allow", "pull,push:library/app/**");

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var jwt = key.Sign($$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"repo:corp/app:ref:refs/heads/main","iat":{{now}},"exp":{{now + 300}},"jti":"cli-session-1"}""");
        var layout = await Images.BuildLayoutAsync(clients, "cli-session", layers: 1);
        var pushed = await FederatedClients.PushAsync(clients, layout, $"docker://{server.HostPort}/library/app/web:v1", jwt);

        Assert.StartsWith("sha256:", pushed, StringComparison.Ordinal);
        var audit = await BerthAsync(clients, null, "audit", "--kind", "push", "--output", "json");
        Assert.Contains("library/app/web", audit.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<CommandResult> BerthAsync(ClientSandbox clients, string? standardInput, params string[] arguments)
    {
        var result = await Command.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "berth.dll"), .. arguments],
            new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = clients.PathOf("config") },
            Command.DefaultTimeout,
            standardInput,
            CancellationToken.None);
        return result.EnsureSuccess();
    }

    [GeneratedRegex(@"generated administrator password \(.*\): (?<password>\S+)")]
    private static partial Regex GeneratedPassword();
}
