using Berth.Configuration;
using Berth.Tests.Hosting;
using Berth.Tls;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Operations.Tests.Tls;

/// <summary>The certificate source behind the TLS listener: re-read when its files change, kept when they do not fit.</summary>
public sealed class ServerCertificateTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-cert-" + Guid.NewGuid().ToString("N"));
    private readonly TestPki pki;

    public ServerCertificateTests()
    {
        pki = TestPki.Create(Path.Combine(folder, "pki"));
    }

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Current_FilesRewritten_ServesTheNewPair()
    {
        var first = pki.Issue("first");
        var second = pki.Issue("second", rsa: true);
        var settings = Settings(first);
        var certificate = new ServerCertificate(settings, NullLogger<ServerCertificate>.Instance, TimeProvider.System);
        Assert.Equal(first.Thumbprint, certificate.Current.TargetCertificate.Thumbprint);

        File.Copy(second.KeyFile, settings.Server.Tls.KeyFile!, overwrite: true);
        File.Copy(second.CertificateFile, settings.Server.Tls.CertificateFile!, overwrite: true);

        Assert.Equal(second.Thumbprint, certificate.Current.TargetCertificate.Thumbprint);
    }

    private BerthSettings Settings(TestPki.ServerFiles files)
    {
        var tls = new TlsSettings { CertificateFile = Path.Combine(folder, "tls.crt"), KeyFile = Path.Combine(folder, "tls.key") };
        File.Copy(files.CertificateFile, tls.CertificateFile);
        File.Copy(files.KeyFile, tls.KeyFile);
        return new BerthSettings { Server = new() { Tls = tls } };
    }
}
