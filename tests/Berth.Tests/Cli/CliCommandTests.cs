using System.Text.RegularExpressions;
using Berth.Access.Refresh;
using Berth.Federation.Tests.Support;

namespace Berth.Tests.Cli;

public sealed class CliCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("berth-cli-").FullName;

    [Fact]
    public async Task HashSecret_Generated_PrintsSecretWhoseHashVerifies()
    {
        var (exit, output, _) = await BerthProcess.RunAsync(null, "hash-secret");

        Assert.Equal(0, exit);
        var secret = Regex.Match(output, @"secret:\s+(\S+)").Groups[1].Value;
        var hash = Regex.Match(output, @"secretHash:\s+(\S+)").Groups[1].Value;
        Assert.StartsWith("berth_rs_", secret, StringComparison.Ordinal);
        Assert.True(SecretHasher.Verify(secret, hash));
    }

    [Fact]
    public async Task Explain_TokenMatchingOneRobot_ShowsRuleVerdictsAndExitsZero()
    {
        using var key = TestKey.Rsa("gh-1");
        var config = await WriteConfigAsync(key, ownerId: "46576199");
        var tokenFile = Path.Combine(folder, "t.jwt");
        await File.WriteAllTextAsync(tokenFile, key.Sign(SeedClaims.GitHubAt(DateTimeOffset.UtcNow).ToJsonString()));

        var (exit, output, error) = await BerthProcess.RunAsync(null, "explain", "--config", config, "--token-file", tokenFile);

        Assert.True(exit == 0, output + error);
        Assert.Contains("token valid", output, StringComparison.Ordinal);
        Assert.Contains("repository_owner_id", output, StringComparison.Ordinal);
        Assert.Contains("46576199", output, StringComparison.Ordinal);
        Assert.Contains("ci-push", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_WrongAudienceToken_SaysRefusedAndExitsOne()
    {
        using var key = TestKey.Rsa("gh-1");
        var config = await WriteConfigAsync(key, ownerId: "46576199");
        var tokenFile = Path.Combine(folder, "t.jwt");
        var claims = SeedClaims.GitHubAt(DateTimeOffset.UtcNow);
        claims["aud"] = "https://github.com/container-registry";
        await File.WriteAllTextAsync(tokenFile, key.Sign(claims.ToJsonString()));

        var (exit, output, error) = await BerthProcess.RunAsync(null, "explain", "--config", config, "--token-file", tokenFile);

        Assert.True(exit == 1, output + error);
        Assert.Contains("token REFUSED: audience_mismatch", output, StringComparison.Ordinal);
        Assert.Contains("result: refused (audience_mismatch)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("result: matched", output, StringComparison.Ordinal);
        Assert.DoesNotContain(": MATCHED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ClaimsOfAnotherOwner_ShowsFailingRuleAndExitsOne()
    {
        using var key = TestKey.Rsa("gh-1");
        var config = await WriteConfigAsync(key, ownerId: "1");
        var claimsFile = Path.Combine(folder, "claims.json");
        await File.WriteAllTextAsync(claimsFile, SeedClaims.GitHubAt(DateTimeOffset.UtcNow).ToJsonString());

        var (exit, output, _) = await BerthProcess.RunAsync(null, "explain", "--config", config, "--claims-file", claimsFile, "--output", "json");

        Assert.Equal(1, exit);
        Assert.Contains("\"matched\":false", output, StringComparison.Ordinal);
        Assert.Contains("46576199", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_RobotOnGitHubWithoutTenantPin_IsRefusedNamingTheClaim()
    {
        var config = Path.Combine(folder, "bad.yaml");
        await File.WriteAllTextAsync(config, """
            identityProviders:
              - name: github
                issuer: https://token.actions.githubusercontent.com
                audiences: [registry.example.com]
            projects:
              - name: library
            robots:
              - name: too-broad
                identityProvider: github
                rules:
                  - { claim: ref, equals: refs/heads/main }
                permissions:
                  - { project: library, repositories: "**", actions: [pull, push] }
            """);

        var (exit, _, error) = await BerthProcess.RunAsync(null, "serve", "--config", config, "--check-config", "--data", Path.Combine(folder, "data"));

        Assert.Equal(1, exit);
        Assert.Contains("repository_owner_id", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_RobotOnUndeclaredProject_NamesTheRobotAndWhereToDeclareIt()
    {
        var config = Path.Combine(folder, "undeclared.yaml");
        await File.WriteAllTextAsync(config, """
            projects:
              - name: library
            robots:
              - name: legacy-pull
                secretHash: sha256:0000000000000000000000000000000000000000000000000000000000000000
                permissions:
                  - { project: library, actions: [pull] }
              - name: ci-push
                secretHash: sha256:0000000000000000000000000000000000000000000000000000000000000000
                permissions:
                  - { project: nosuchproject, actions: [push] }
            """);

        var (exit, _, error) = await BerthProcess.RunAsync(null, "serve", "--config", config, "--check-config", "--data", Path.Combine(folder, "data"));

        Assert.Equal(1, exit);
        Assert.Contains("robots[ci-push].permissions[0].project: 'nosuchproject' is not declared under projects: add it there (- name: nosuchproject)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_UnknownKey_IsRefusedNamingTheKey()
    {
        var config = Path.Combine(folder, "typo.yaml");
        await File.WriteAllTextAsync(config, "server:\n  listne: 127.0.0.1:5000\n");

        var (exit, _, error) = await BerthProcess.RunAsync(null, "serve", "--config", config, "--check-config");

        Assert.Equal(1, exit);
        Assert.Contains("listne", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_MissingRequiredOption_ExitsTwoNamingTheOption()
    {
        var (exit, _, error) = await BerthProcess.RunAsync(null, "robot", "add", "ci-push", "--idp", "github");

        Assert.Equal(2, exit);
        Assert.Contains("Option '--allow' is required.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_OpenModeOnAllInterfaces_RefusesToStart()
    {
        var environment = new Dictionary<string, string> { ["BERTH_SERVER__PUBLICURL"] = "https://registry.example.com" };
        var (exit, _, error) = await BerthProcess.RunWithEnvironmentAsync(environment, null, "serve", "--listen", "0.0.0.0:0", "--data", Path.Combine(folder, "data"), "--check-config");

        Assert.Equal(1, exit);
        Assert.Contains("--insecure-open", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private async Task<string> WriteConfigAsync(TestKey key, string ownerId)
    {
        var path = Path.Combine(folder, "berth.yaml");
        await File.WriteAllTextAsync(path, $$"""
            identityProviders:
              - name: github
                issuer: {{SeedClaims.GitHubIssuer}}
                audiences: [{{SeedClaims.Audience}}]
                jwks: '{{TestKey.Jwks(key)}}'
            projects:
              - name: library
            robots:
              - name: ci-push
                identityProvider: github
                rules:
                  - { claim: repository_owner_id, equals: "{{ownerId}}" }
                  - { claim: ref, glob: "refs/heads/*" }
                permissions:
                  - { project: library, repositories: "app/**", actions: [pull, push] }
            """);
        return path;
    }
}
