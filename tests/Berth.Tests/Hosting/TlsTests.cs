using System.Net;
using Berth.Configuration;
using Berth.Hosting;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.Hosting;

/// <summary>
/// <c>server.tls</c>: Berth serves TLS itself from PEM files, with the full chain, over HTTP/2, and picks up
/// rotated files for the next connection without dropping the open ones.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-tls-" + Guid.NewGuid().ToString("N"));
    private readonly TestPki pki;

    public TlsTests()
    {
        pki = TestPki.Create(Path.Combine(folder, "pki"));
    }

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serve_RsaOrEcdsaChain_AnswersHttp2ToClientTrustingOnlyTheRoot(bool rsa)
    {
        var files = pki.Issue("server", rsa);
        await using var server = await RegistryServer.StartAsync(configure: settings => UseTls(settings, files.CertificateFile, files.KeyFile));
        var clients = new TlsClients(pki);
        using var client = clients.Create(server.BaseAddress, HttpVersion.Version20);

        using var response = await client.GetAsync("/v2/");

        Assert.Equal("https", server.BaseAddress.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal([files.Thumbprint], clients.Seen);
    }

    [Fact]
    public async Task Serve_PlainHttpClientOnTlsListener_GetsNoHttpAnswer()
    {
        var files = pki.Issue("server");
        await using var server = await RegistryServer.StartAsync(configure: settings => UseTls(settings, files.CertificateFile, files.KeyFile));
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(new Uri($"http://{server.BaseAddress.Authority}/v2/")));
    }

    [Fact]
    public async Task Serve_FilesSwappedAsKubernetesSecretVolume_NextConnectionGetsNewCertificateOpenOneKeepsWorking()
    {
        // A Secret volume: tls.crt -> ..data/tls.crt, ..data -> ..2026_v1; rotation points ..data at a new folder.
        var first = pki.Issue("first");
        var second = pki.Issue("second", rsa: true);
        var volume = Path.Combine(folder, "volume");
        Directory.CreateDirectory(volume);
        Publish(volume, "..v1", first);
        File.CreateSymbolicLink(Path.Combine(volume, "tls.crt"), Path.Combine("..data", "tls.crt"));
        File.CreateSymbolicLink(Path.Combine(volume, "tls.key"), Path.Combine("..data", "tls.key"));
        await using var server = await RegistryServer.StartAsync(configure: settings => UseTls(settings, Path.Combine(volume, "tls.crt"), Path.Combine(volume, "tls.key")));
        var clients = new TlsClients(pki);
        using var open = clients.Create(server.BaseAddress);
        using (var before = await open.GetAsync("/v2/"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Publish(volume, "..v2", second);
        using var stillOpen = await open.GetAsync("/v2/");
        using var fresh = clients.Create(server.BaseAddress);
        using var next = await fresh.GetAsync("/v2/");

        Assert.Equal(HttpStatusCode.OK, stillOpen.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal([first.Thumbprint, second.Thumbprint], clients.Seen);
    }

    [Fact]
    public async Task Serve_RotatedKeyDoesNotMatchCertificate_PreviousCertificateStaysInService()
    {
        var first = pki.Issue("first");
        var other = pki.Issue("other");
        var certificate = Path.Combine(folder, "tls.crt");
        var key = Path.Combine(folder, "tls.key");
        File.Copy(first.CertificateFile, certificate);
        File.Copy(first.KeyFile, key);
        await using var server = await RegistryServer.StartAsync(configure: settings => UseTls(settings, certificate, key));
        var clients = new TlsClients(pki);

        // certbot has written the new certificate but not yet its key.
        File.Copy(other.CertificateFile, certificate, overwrite: true);
        using var client = clients.Create(server.BaseAddress);
        using var response = await client.GetAsync("/v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([first.Thumbprint], clients.Seen);

        File.Copy(other.KeyFile, key, overwrite: true);
        using var after = clients.Create(server.BaseAddress);
        using var rotated = await after.GetAsync("/v2/");
        Assert.Equal([first.Thumbprint, other.Thumbprint], clients.Seen);
    }

    [Fact]
    public void Build_CertificateFileNotPem_FailsNamingTheFiles()
    {
        var files = pki.Issue("server");
        File.WriteAllText(files.CertificateFile, "not a certificate");
        var settings = UseTls(new BerthSettings { Storage = new() { DataDir = Path.Combine(folder, "data") } }, files.CertificateFile, files.KeyFile);

        var error = Assert.Throws<ConfigurationException>(() => BerthApp.Build(settings));

        Assert.Contains(files.CertificateFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("server.tls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_KeyOfAnotherCertificate_Fails()
    {
        var files = pki.Issue("server");
        var other = pki.Issue("other");
        var settings = UseTls(new BerthSettings { Storage = new() { DataDir = Path.Combine(folder, "data") } }, files.CertificateFile, other.KeyFile);

        var error = Assert.Throws<ConfigurationException>(() => BerthApp.Build(settings));

        Assert.Contains(other.KeyFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TlsWithHttpPublicUrl_FailsNamingPublicUrl()
    {
        var config = Path.Combine(folder, "berth.yaml");
        File.WriteAllText(config, "server:\n  publicUrl: http://registry.example.com\n  tls:\n    certificateFile: tls.crt\n    keyFile: tls.key\n");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(config));

        Assert.Contains("server.publicUrl 'http://registry.example.com' must be an https:// URL when server.tls is set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TlsCertificateWithoutKey_FailsNamingBothKeys()
    {
        var config = Path.Combine(folder, "berth.yaml");
        File.WriteAllText(config, "server:\n  tls:\n    certificateFile: tls.crt\n");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(config));

        Assert.Contains("server.tls needs both certificateFile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RelativeTlsFiles_ResolveAgainstTheConfigFilesFolder()
    {
        var config = Path.Combine(folder, "berth.yaml");
        File.WriteAllText(config, "server:\n  publicUrl: https://registry.example.com\n  tls:\n    certificateFile: tls/tls.crt\n    keyFile: tls/tls.key\n");

        var settings = ConfigurationLoader.Load(config);

        Assert.Equal(Path.Combine(folder, "tls", "tls.crt"), settings.Server.Tls.CertificateFile);
        Assert.Equal(Path.Combine(folder, "tls", "tls.key"), settings.Server.Tls.KeyFile);
    }

    private static BerthSettings UseTls(BerthSettings settings, string certificateFile, string keyFile) =>
        settings with { Server = settings.Server with { Tls = new() { CertificateFile = certificateFile, KeyFile = keyFile } } };

    /// <summary>Writes the pair into a new timestamped folder and points <c>..data</c> at it in one rename, as the kubelet does.</summary>
    private static void Publish(string volume, string version, TestPki.ServerFiles files)
    {
        var target = Path.Combine(volume, version);
        Directory.CreateDirectory(target);
        File.Copy(files.CertificateFile, Path.Combine(target, "tls.crt"));
        File.Copy(files.KeyFile, Path.Combine(target, "tls.key"));
        var staged = Path.Combine(volume, "..data_tmp");
        Directory.CreateSymbolicLink(staged, version);

        // rename(2) over the old link; .NET's moves refuse a link to a folder in place of one.
        using var rename = System.Diagnostics.Process.Start("mv", ["-T", staged, Path.Combine(volume, "..data")]);
        Assert.True(rename.WaitForExit(TimeSpan.FromSeconds(10)) && rename.ExitCode == 0, "mv -T failed");
    }
}
