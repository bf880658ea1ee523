using System.Text;

namespace Berth.CredentialProvider.Tests.Published;

/// <summary>The AOT-published binary, fed requests exactly as the kubelet encodes them.</summary>
public sealed class PublishedPluginTests(PublishedPluginFixture plugin) : IClassFixture<PublishedPluginFixture>
{
    private const string Image = "registry.example.com:5000/team/app";
    private const string Registry = "registry.example.com:5000";
    private const string Prefix = "berth-credential-provider: ";

    private Task<PluginRun> RunAsync(string request, IReadOnlyList<string>? args = null, IReadOnlyDictionary<string, string>? environment = null) =>
        PluginProcess.RunAsync(plugin.BinaryPath, PluginProcess.Utf8(request), args, environment);

    [Fact]
    public void Binary_Published_IsNativeExecutableWithoutManagedAssembly()
    {
        var header = new byte[4];
        using (var file = File.OpenRead(plugin.BinaryPath))
        {
            file.ReadExactly(header);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), header);
        Assert.False(File.Exists(Path.ChangeExtension(plugin.BinaryPath, ".dll")), "a managed dll beside the binary means it was not AOT-compiled");
    }

    [Fact]
    public async Task Run_KubeletRequestWithToken_PrintsJwtCredential()
    {
        var exp = DateTimeOffset.UtcNow.AddHours(1);
        var token = TestTokens.WithExp(exp);

        var run = await RunAsync(KubeletRequests.WithToken(Image, token));

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        var response = ResponseAssert.IsCredentialFor(run.Stdout, Registry, token);
        var cached = ResponseAssert.CacheDuration(response);
        Assert.InRange(cached, TimeSpan.FromMinutes(53), TimeSpan.FromMinutes(54));
    }

    [Fact]
    public async Task Run_KubeletRequestWithAnnotations_PrintsJwtCredential()
    {
        var token = TestTokens.WithExp(DateTimeOffset.UtcNow.AddMinutes(10));

        var run = await RunAsync(KubeletRequests.WithTokenAndAnnotations("registry.example.com/team/app@sha256:" + new string('a', 64), token));

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        var response = ResponseAssert.IsCredentialFor(run.Stdout, "registry.example.com", token);
        Assert.InRange(ResponseAssert.CacheDuration(response), TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(9));
    }

    [Fact]
    public async Task Run_CacheKeyTypeFlag_AnswersThatType()
    {
        var token = TestTokens.WithExp(DateTimeOffset.UtcNow.AddHours(1));

        var run = await RunAsync(KubeletRequests.WithToken(Image, token), ["--cache-key-type", "Image"]);

        Assert.Equal(0, run.ExitCode);
        ResponseAssert.IsCredentialFor(run.Stdout, Registry, token, "Image");
    }

    [Fact]
    public async Task Run_CacheKeyTypeEnvironment_AnswersThatType()
    {
        var token = TestTokens.WithExp(DateTimeOffset.UtcNow.AddHours(1));

        var run = await RunAsync(KubeletRequests.WithToken(Image, token), environment: new Dictionary<string, string> { ["BERTH_CACHE_KEY_TYPE"] = "Global" });

        Assert.Equal(0, run.ExitCode);
        ResponseAssert.IsCredentialFor(run.Stdout, Registry, token, "Global");
    }

    public static TheoryData<string, string> RefusedRequests() => new()
    {
        { "no token", "the request has no serviceAccountToken: configure tokenAttributes" },
        { "malformed json", "malformed request JSON on stdin" },
        { "empty stdin", "malformed request JSON on stdin" },
        { "unsupported apiVersion", "unsupported apiVersion \"credentialprovider.kubelet.k8s.io/v1alpha1\"" },
        { "wrong kind", "unexpected kind \"CredentialProviderResponse\"" },
        { "missing image", "the request has no image" },
        { "token not a jwt", "serviceAccountToken is not a JWT" },
        { "token expired", "serviceAccountToken expired at " },
        { "token expiring within margin", "within the 30s safety margin" },
        { "oversized stdin", "request on stdin is larger than 1 MiB" },
    };

    [Theory]
    [MemberData(nameof(RefusedRequests))]
    public async Task Run_RefusedRequest_ExitsOneWithOneStderrLine(string situation, string reason)
    {
        var run = await RunAsync(RequestFor(situation));

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith(Prefix, run.Stderr, StringComparison.Ordinal);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("\n", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Run_UnknownArgument_ExitsTwo()
    {
        var run = await RunAsync(KubeletRequests.WithoutToken(Image), ["get-credentials"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith(Prefix + "unknown argument \"get-credentials\"", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TokenNeverInStderr_WhenRefused()
    {
        var token = TestTokens.WithExp(DateTimeOffset.UtcNow.AddMinutes(-5));

        var run = await RunAsync(KubeletRequests.WithToken(Image, token));

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain(token, run.Stderr, StringComparison.Ordinal);
    }

    private static string RequestFor(string situation)
    {
        var now = DateTimeOffset.UtcNow;
        var valid = TestTokens.WithExp(now.AddHours(1));
        return situation switch
        {
            "no token" => KubeletRequests.WithoutToken(Image),
            "malformed json" => """{"kind":"CredentialProviderRequest","apiVersion":""",
            "empty stdin" => string.Empty,
            "unsupported apiVersion" => KubeletRequests.WithToken(Image, valid).Replace("/v1\"", "/v1alpha1\"", StringComparison.Ordinal),
            "wrong kind" => KubeletRequests.WithToken(Image, valid).Replace("\"CredentialProviderRequest\"", "\"CredentialProviderResponse\"", StringComparison.Ordinal),
            "missing image" => KubeletRequests.WithToken(string.Empty, valid),
            "token not a jwt" => KubeletRequests.WithToken(Image, "0123456789abcdef"),
            "token expired" => KubeletRequests.WithToken(Image, TestTokens.WithExp(now.AddMinutes(-1))),
            "token expiring within margin" => KubeletRequests.WithToken(Image, TestTokens.WithExp(now.AddSeconds(20))),
            "oversized stdin" => KubeletRequests.WithToken(Image, valid) + new StringBuilder().Append(' ', 2 * 1024 * 1024),
            _ => throw new ArgumentOutOfRangeException(nameof(situation), situation, null),
        };
    }
}
