using System.Net.Http.Headers;
using Berth.Kube;

namespace Berth.Kube.Tests;

public sealed class RegistryChallengeTests
{
    [Fact]
    public void From_BearerWithRealmServiceAndScope_ReadsRealmAndService()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://registry.example.com/service/token\",service=\"registry.example.com\",scope=\"repository:a/b:pull,push\"");

        var challenge = RegistryChallenge.From(response.Headers.WwwAuthenticate, "fallback");

        Assert.NotNull(challenge);
        Assert.Equal(new Uri("https://registry.example.com/service/token"), challenge.Realm);
        Assert.Equal("registry.example.com", challenge.Service);
    }

    [Fact]
    public void From_BasicOnly_IsNull()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"registry\"");

        Assert.Null(RegistryChallenge.From(response.Headers.WwwAuthenticate, "fallback"));
    }

    [Fact]
    public void From_NoService_UsesFallback()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "realm=\"http://127.0.0.1:5000/token\""));

        Assert.Equal("127.0.0.1:5000", RegistryChallenge.From(response.Headers.WwwAuthenticate, "127.0.0.1:5000")!.Service);
    }

    [Fact]
    public void Parse_QuotedCommasAndEscapes_KeepsValuesWhole()
    {
        var parameters = RegistryChallenge.Parse("realm=\"https://r/t\", service=\"a,b\",error=invalid_token, note=\"say \\\"hi\\\"\"");

        Assert.Equal("https://r/t", parameters["realm"]);
        Assert.Equal("a,b", parameters["service"]);
        Assert.Equal("invalid_token", parameters["error"]);
        Assert.Equal("say \"hi\"", parameters["note"]);
    }
}
