using System.Security.Cryptography.X509Certificates;
using Berth.Federation.Tests.Support;
using Berth.Interop.Tests.Infrastructure;
using Berth.Tests.Hosting;

namespace Berth.Interop.Tests.Tls;

/// <summary>
/// One `berth serve` child process with <c>server.tls</c> (a chain from a CA made for the run) and the
/// federated configuration, shared by the TLS client tests. The server reads <see cref="CertificateFile"/> and
/// <see cref="KeyFile"/>; tests that rotate them put the good pair back with <see cref="ServeAsync"/>.
/// Clients get <see cref="CertDir"/>, which holds only the root as <c>ca.crt</c>.
/// </summary>
public sealed class TlsFixture : IAsyncLifetime
{
    private readonly TestKey gitHubKey = TestKey.Rsa("gh-tls-1");
    private readonly TestKey kubernetesKey = TestKey.Ec("k8s-tls-1");
    private TempDirectory? data;
    private RegistryServer? server;

    internal RegistryServer Server => server ?? throw new InvalidOperationException("fixture not started");

    internal TestPki Pki { get; private set; } = null!;

    /// <summary>The pair the server starts with.</summary>
    internal TestPki.ServerFiles Good { get; private set; } = null!;

    internal string CertificateFile => data!.Combine("tls.crt");

    internal string KeyFile => data!.Combine("tls.key");

    /// <summary>A `--cert-dir` for containers/image clients: the root CA alone, as <c>ca.crt</c>.</summary>
    internal string CertDir => data!.Combine("certs");

    internal string GitHubToken() => gitHubKey.Sign(SeedClaims.GitHubAt(DateTimeOffset.UtcNow).ToJsonString());

    /// <param name="jti">A token id to find the exchange by in the server's log.</param>
    internal string KubernetesToken(string? jti = null)
    {
        var claims = SeedClaims.KubernetesAt(DateTimeOffset.UtcNow);
        if (jti is not null)
        {
            claims["jti"] = jti;
        }

        return kubernetesKey.Sign(claims.ToJsonString());
    }

    /// <summary>Writes the pair over the files the server reads (key first, as a careful rotation does).</summary>
    internal void Serve(TestPki.ServerFiles files)
    {
        var key = KeyFile + ".new";
        var certificate = CertificateFile + ".new";
        File.Copy(files.KeyFile, key, overwrite: true);
        File.Copy(files.CertificateFile, certificate, overwrite: true);
        File.Move(key, KeyFile, overwrite: true);
        File.Move(certificate, CertificateFile, overwrite: true);
    }

    /// <summary>Puts the good pair back.</summary>
    internal void ServeGood() => Serve(Good);

    /// <summary>The thumbprint of the certificate a new TLS connection to the server is given.</summary>
    internal async Task<string> PresentedThumbprintAsync()
    {
        string? seen = null;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { AllowTlsResume = false, RemoteCertificateValidationCallback = (_, certificate, _, _) => { seen = (certificate as X509Certificate2)?.Thumbprint; return true; } },
        });
        using var response = await http.GetAsync(new Uri(Server.BaseAddress, "healthz"));
        return seen ?? throw new InvalidOperationException("no certificate was presented");
    }

    public async Task InitializeAsync()
    {
        data = TempDirectory.Create("tls");
        Pki = TestPki.Create(data.Combine("pki"), "berth interop");
        Good = Pki.Issue("good");
        Serve(Good);
        Directory.CreateDirectory(CertDir);
        File.Copy(Pki.CaFile, Path.Combine(CertDir, "ca.crt"));
        var config = data.Combine("berth.yaml");
        await File.WriteAllTextAsync(config, $"server:\n  tls:\n    certificateFile: {CertificateFile}\n    keyFile: {KeyFile}\n" + FederatedConfig.Yaml(gitHubKey, kubernetesKey));
        server = await RegistryServer.StartBerthAsync(
            data.Combine("registry"),
            config,
            CancellationToken.None,
            (_, certificate, chain, errors) => Pki.Validates(certificate as X509Certificate2, chain, errors));
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        Pki?.Dispose();
        if (data is not null)
        {
            await data.DisposeAsync();
        }

        gitHubKey.Dispose();
        kubernetesKey.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TlsCollection : ICollectionFixture<TlsFixture>
{
    public const string Name = "tls";
}
