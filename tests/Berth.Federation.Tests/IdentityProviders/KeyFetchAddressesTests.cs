using System.Net;
using System.Text.Json.Nodes;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Tests.Support;

namespace Berth.Federation.Tests.IdentityProviders;

/// <summary>Key fetches cannot be pointed at a cloud metadata service, nor go over plain http beyond loopback.</summary>
public sealed class KeyFetchAddressesTests : IAsyncLifetime
{
    private static readonly IdentityProviderOptions Provider = new()
    {
        Name = "corp",
        Issuer = "https://idp.example",
        Audiences = ["registry.example.com"],
    };

    private readonly FederationHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("http://10.0.0.5/jwks")]
    [InlineData("http://idp.internal.example/jwks")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public void Validate_PlainHttpToNonLoopbackHost_IsRefusedEvenWithAllowInsecureHttp(string url)
    {
        var errors = IdentityProviderOptionsValidator.Validate(Provider with { JwksUrl = url, AllowInsecureHttp = true });

        Assert.Contains(errors, e => e.StartsWith("identityProviders[corp].jwksUrl:", StringComparison.Ordinal) && e.Contains("only allowed for loopback hosts", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/jwks")]
    [InlineData("http://localhost:8080/jwks")]
    [InlineData("http://[::1]:8080/jwks")]
    public void Validate_PlainHttpToLoopbackWithAllowInsecureHttp_IsAccepted(string url) =>
        Assert.Empty(IdentityProviderOptionsValidator.Validate(Provider with { JwksUrl = url, AllowInsecureHttp = true }));

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/jwks")]
    [InlineData("https://[fd00:ec2::254]/jwks")]
    [InlineData("https://[fe80::1]/jwks")]
    [InlineData("https://[::ffff:169.254.169.254]/jwks")]
    public void Validate_MetadataAddress_IsRefusedUnlessAllowed(string url)
    {
        var errors = IdentityProviderOptionsValidator.Validate(Provider with { DiscoveryUrl = url });

        Assert.Contains(errors, e => e.StartsWith("identityProviders[corp].discoveryUrl:", StringComparison.Ordinal) && e.Contains("allowLinkLocalAddresses", StringComparison.Ordinal));
        Assert.Empty(IdentityProviderOptionsValidator.Validate(Provider with { DiscoveryUrl = url, AllowLinkLocalAddresses = true }));
    }

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("169.254.0.1", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("fe80::abcd", true)]
    [InlineData("169.253.255.255", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("fd00:ec2::253", false)]
    public void IsLinkLocalOrMetadata_Address_IsClassified(string address, bool expected) =>
        Assert.Equal(expected, KeyFetchAddresses.IsLinkLocalOrMetadata(IPAddress.Parse(address)));

    [Fact]
    public async Task RefreshKeysAsync_DiscoveryNamingMetadataJwksUri_IsRefusedWithoutConnecting()
    {
        _harness.GitHubServer.Serve("/github/.well-known/openid-configuration", new JsonObject
        {
            ["issuer"] = SeedClaims.GitHubIssuer,
            ["jwks_uri"] = "https://169.254.169.254/latest/meta-data/iam/security-credentials/",
        }.ToJsonString());

        await _harness.Validator.RefreshKeysAsync(CancellationToken.None);

        var health = _harness.Validator.KeyHealth().Single(h => h.IdentityProvider == "github");
        Assert.Empty(health.KeyIds);
        Assert.Contains("link-local or cloud metadata address", health.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_HostResolvingToLoopback_Connects()
    {
        using var client = new HttpClient(KeyFetchAddresses.CreateHandler());
        _harness.GitLabServer.Serve("/ping", "{}");
        var url = _harness.GitLabServer.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/ping";

        using var response = await client.GetAsync(new Uri(url), new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task JwksFile_MissingAndNotJwks_AnswerTheSameWords()
    {
        var garbage = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(garbage, "root:x:0:0:root:/root:/bin/bash\n");
            var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "jwks.json");

            var missingError = Assert.Single(IdentityProviderOptionsValidator.Validate(Provider with { JwksFile = missing }));
            var garbageError = Assert.Single(IdentityProviderOptionsValidator.Validate(Provider with { JwksFile = garbage }));

            Assert.Equal(missingError.Replace(missing, "PATH", StringComparison.Ordinal), garbageError.Replace(garbage, "PATH", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    [Fact]
    public async Task KeyHealth_JwksFileBecomesUnreadable_DoesNotSayWhy()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, TestKey.Jwks(_harness.KubernetesKey));
        _harness.Kubernetes = _harness.Kubernetes with { Jwks = null, JwksFile = file };
        Assert.NotEmpty(_harness.Validator.KeyHealth().Single(h => h.IdentityProvider == "k3d").KeyIds);
        File.Delete(file);
        _harness.Time.Advance(TimeSpan.FromHours(2));

        await _harness.Validator.RefreshKeysAsync(CancellationToken.None);

        var error = _harness.Validator.KeyHealth().Single(h => h.IdentityProvider == "k3d").LastError;
        Assert.Equal($"jwksFile '{file}' is not a readable JWKS file (it must exist, be readable by Berth and hold a JWKS document)", error);
    }
}
