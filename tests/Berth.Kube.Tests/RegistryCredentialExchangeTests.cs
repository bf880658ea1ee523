using Berth.Kube;

namespace Berth.Kube.Tests;

public sealed class RegistryCredentialExchangeTests
{
    [Theory]
    [InlineData("""{"errors":[{"code":"UNAUTHORIZED","message":"no robots matched your token"}],"error":"no_robot_matched","error_description":"no robots matched your token"}""", "no_robot_matched: no robots matched your token")]
    [InlineData("""{"error":"token_expired","error_description":"token_expired: the token expired"}""", "token_expired: the token expired")]
    [InlineData("""{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}""", "DENIED: requested access to the resource is denied")]
    [InlineData("<html>bad gateway</html>", "<html>bad gateway</html>")]
    [InlineData("", "(empty body)")]
    public void Refusal_RegistryOrOAuthBody_ShowsReasonAndMessage(string body, string expected)
    {
        Assert.Equal(expected, RegistryCredentialExchange.Refusal(body));
    }
}
