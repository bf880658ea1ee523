using System.Text;

namespace Berth.CredentialProvider.Tests;

public sealed class PluginAppTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static (int Exit, string Stdout, string Stderr) Run(byte[] stdin, string[]? args = null, string? environment = null)
    {
        using var input = new MemoryStream(stdin);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var exit = PluginApp.Run(args ?? [], environment, input, output, error, Now);
        return (exit, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    [Fact]
    public void Run_ValidRequest_WritesOnlyResponseJson()
    {
        var token = TestTokens.WithExp(Now.AddHours(1));
        var (exit, stdout, stderr) = Run(KubeletRequests.Bytes(KubeletRequests.WithToken("registry.example.com/app", token)));

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.EndsWith("}\n", stdout, StringComparison.Ordinal);
        ResponseAssert.IsCredentialFor(stdout, "registry.example.com", token);
    }

    [Fact]
    public void Run_EnvironmentCacheKeyType_IsUsed()
    {
        var token = TestTokens.WithExp(Now.AddHours(1));
        var (exit, stdout, _) = Run(KubeletRequests.Bytes(KubeletRequests.WithToken("registry.example.com/app", token)), environment: "Global");

        Assert.Equal(0, exit);
        ResponseAssert.IsCredentialFor(stdout, "registry.example.com", token, "Global");
    }

    [Fact]
    public void Run_RequestOverOneMebibyte_FailsWithoutOutput()
    {
        var huge = new byte[PluginApp.MaxRequestBytes + 1];
        Array.Fill(huge, (byte)' ');

        var (exit, stdout, stderr) = Run(huge);

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Equal("berth-credential-provider: request on stdin is larger than 1 MiB\n", stderr);
    }

    [Fact]
    public void Run_RequestOfExactlyOneMebibyte_IsRead()
    {
        var token = TestTokens.WithExp(Now.AddHours(1));
        var json = KubeletRequests.WithToken("registry.example.com/app", token);
        var padded = Encoding.UTF8.GetBytes(json.PadRight(PluginApp.MaxRequestBytes));

        var (exit, stdout, _) = Run(padded);

        Assert.Equal(0, exit);
        ResponseAssert.IsCredentialFor(stdout, "registry.example.com", token);
    }

    [Fact]
    public void Run_BadRequest_WritesOneStderrLineAndExitsOne()
    {
        var (exit, stdout, stderr) = Run("{"u8.ToArray());

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.StartsWith("berth-credential-provider: malformed request JSON", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Run_BadArgument_ExitsTwo()
    {
        var (exit, stdout, stderr) = Run([], ["--bogus"]);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("unknown argument \"--bogus\"", stderr, StringComparison.Ordinal);
    }
}
