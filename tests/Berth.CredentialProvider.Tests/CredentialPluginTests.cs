using System.Text;
using System.Text.Json;
using Berth.CredentialProvider.Protocol;

namespace Berth.CredentialProvider.Tests;

public sealed class CredentialPluginTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PluginOptions Defaults = new();

    private static string Serialize(PluginResult result)
    {
        Assert.Null(result.Error);
        Assert.NotNull(result.Response);
        return JsonSerializer.Serialize(result.Response, ProtocolJsonContext.Default.CredentialProviderResponse);
    }

    [Fact]
    public void Handle_KubeletRequestWithToken_AnswersJwtAndTokenForRegistry()
    {
        var token = TestTokens.WithExp(Now.AddHours(1));
        var result = CredentialPlugin.Handle(KubeletRequests.Bytes(KubeletRequests.WithToken("registry.example.com:5000/team/app", token)), Defaults, Now);

        var response = ResponseAssert.IsCredentialFor(Serialize(result), "registry.example.com:5000", token);
        Assert.Equal("54m0s", response.GetProperty("cacheDuration").GetString());
    }

    [Fact]
    public void Handle_KubeletRequestWithAnnotations_AnswersTheSame()
    {
        var token = TestTokens.WithExp(Now.AddMinutes(10));
        var result = CredentialPlugin.Handle(KubeletRequests.Bytes(KubeletRequests.WithTokenAndAnnotations("registry.example.com/team/app:1.0", token)), Defaults, Now);

        var response = ResponseAssert.IsCredentialFor(Serialize(result), "registry.example.com", token);
        Assert.Equal("9m0s", response.GetProperty("cacheDuration").GetString());
    }

    [Fact]
    public void Handle_CacheKeyTypeOption_IsEchoed()
    {
        var token = TestTokens.WithExp(Now.AddHours(1));
        var result = CredentialPlugin.Handle(KubeletRequests.Bytes(KubeletRequests.WithToken("registry.example.com/app", token)), new PluginOptions { CacheKeyType = "Image" }, Now);

        ResponseAssert.IsCredentialFor(Serialize(result), "registry.example.com", token, "Image");
    }

    [Fact]
    public void Handle_UnknownRequestFields_AreTolerated()
    {
        var token = TestTokens.WithExp(Now.AddHours(1));
        var json = $$"""{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"registry.example.com/app","serviceAccountToken":"{{token}}","futureField":{"nested":[1,2]},"podUID":"x"}""";

        ResponseAssert.IsCredentialFor(Serialize(CredentialPlugin.Handle(Encoding.UTF8.GetBytes(json), Defaults, Now)), "registry.example.com", token);
    }

    [Theory]
    [InlineData("", "malformed request JSON")]
    [InlineData("{", "malformed request JSON")]
    [InlineData("null", "malformed request JSON")]
    [InlineData("[]", "malformed request JSON")]
    [InlineData("""{"apiVersion":1}""", "malformed request JSON")]
    [InlineData("""{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1beta1","image":"r.example.com/a"}""", "unsupported apiVersion \"credentialprovider.kubelet.k8s.io/v1beta1\"")]
    [InlineData("""{"kind":"CredentialProviderRequest","image":"r.example.com/a"}""", "unsupported apiVersion \"\"")]
    [InlineData("""{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"r.example.com/a"}""", "unexpected kind \"CredentialProviderResponse\"")]
    [InlineData("""{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1"}""", "the request has no image")]
    [InlineData("""{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"https://r.example.com/a","serviceAccountToken":"a.b.c"}""", "is not an image reference")]
    [InlineData("""{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"r.example.com/a"}""", "no serviceAccountToken")]
    [InlineData("""{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"r.example.com/a","serviceAccountToken":""}""", "no serviceAccountToken")]
    [InlineData("""{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"r.example.com/a","serviceAccountToken":"opaque-secret"}""", "not a JWT")]
    public void Handle_BadRequest_FailsWithReason(string json, string reason)
    {
        var result = CredentialPlugin.Handle(Encoding.UTF8.GetBytes(json), Defaults, Now);

        Assert.Null(result.Response);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error!);
    }

    [Fact]
    public void Handle_NoToken_ExplainsTokenAttributes()
    {
        var result = CredentialPlugin.Handle(KubeletRequests.Bytes(KubeletRequests.WithoutToken("registry.example.com/app")), Defaults, Now);

        Assert.Contains("tokenAttributes", result.Error, StringComparison.Ordinal);
        Assert.Contains("requireServiceAccount", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_ExpiredToken_Fails()
    {
        var token = TestTokens.WithExp(Now.AddSeconds(-1));
        var result = CredentialPlugin.Handle(KubeletRequests.Bytes(KubeletRequests.WithToken("registry.example.com/app", token)), Defaults, Now);

        Assert.Contains("expired", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_TokenExpiringWithinMargin_Fails()
    {
        var token = TestTokens.WithExp(Now.AddSeconds(20));
        var result = CredentialPlugin.Handle(KubeletRequests.Bytes(KubeletRequests.WithToken("registry.example.com/app", token)), Defaults, Now);

        Assert.Contains("safety margin", result.Error, StringComparison.Ordinal);
    }
}
