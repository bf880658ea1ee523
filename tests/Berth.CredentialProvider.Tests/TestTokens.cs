using System.Buffers.Text;
using System.Text;

namespace Berth.CredentialProvider.Tests;

/// <summary>Unsigned JWT-shaped strings: the plugin never verifies signatures, only reads exp.</summary>
internal static class TestTokens
{
    public const string Header = """{"alg":"RS256","kid":"test-key"}""";

    public static string WithExp(DateTimeOffset exp) => Jwt(
        Header,
        $$$"""{"iss":"https://kubernetes.default.svc","sub":"system:serviceaccount:team:puller","aud":["registry.example.com"],"exp":{{{exp.ToUnixTimeSeconds()}}},"iat":{{{exp.AddHours(-1).ToUnixTimeSeconds()}}},"kubernetes.io":{"namespace":"team"}}""");

    public static string Jwt(string headerJson, string payloadJson) =>
        $"{Encode(headerJson)}.{Encode(payloadJson)}.c2lnbmF0dXJl";

    public static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
