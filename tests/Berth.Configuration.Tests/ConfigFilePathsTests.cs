using Berth.Configuration;

namespace Berth.Configuration.Tests;

/// <summary>
/// Relative paths written in the config file are relative to the file's folder, wherever berth runs;
/// those given as flags are relative to the working folder. No environment variables here: they are
/// process-wide and belong to <see cref="ConfigurationLoaderTests"/>.
/// </summary>
public sealed class ConfigFilePathsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-config-paths-" + Guid.NewGuid().ToString("N"));

    public ConfigFilePathsTests() => Directory.CreateDirectory(Path.Combine(folder, "keys"));

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Load_RelativePathsInTheFile_ResolveAgainstTheFilesFolder()
    {
        File.WriteAllText(Path.Combine(folder, "keys", "jwks.json"), """{"keys":[]}""");
        var file = Write("""
            storage:
              dataDir: ./data
            tokens:
              signingKeyFile: keys/signing.pem
            identityProviders:
              - name: local-ci
                issuer: https://ci.example.test
                audiences: [registry.example.test]
                jwksFile: keys/jwks.json
            """);

        var settings = ConfigurationLoader.Load(file);

        Assert.Equal(Path.Combine(folder, "data"), settings.Storage.DataDir);
        Assert.Equal(Path.Combine(folder, "keys", "signing.pem"), settings.Tokens.SigningKeyFile);
        Assert.Equal(Path.Combine(folder, "keys", "jwks.json"), Assert.Single(settings.IdentityProviders).JwksFile);
    }

    [Fact]
    public void Load_AbsolutePathsInTheFile_StayAsWritten()
    {
        var file = Write("""
            storage:
              dataDir: /var/lib/berth
            tokens:
              signingKeyFile: /run/secrets/berth-signing.pem
            """);

        var settings = ConfigurationLoader.Load(file);

        Assert.Equal("/var/lib/berth", settings.Storage.DataDir);
        Assert.Equal("/run/secrets/berth-signing.pem", settings.Tokens.SigningKeyFile);
    }

    [Fact]
    public void Load_RelativeDataFlag_StaysRelativeToTheWorkingFolder()
    {
        var file = Write("""
            storage:
              dataDir: ./data
            """);

        var settings = ConfigurationLoader.Load(file, new Dictionary<string, string?> { ["storage:dataDir"] = "elsewhere/data" });

        Assert.Equal("elsewhere/data", settings.Storage.DataDir);
    }

    [Fact]
    public void Load_NoDataDirInTheFile_KeepsTheDefaultInTheWorkingFolder()
    {
        var file = Write("""
            server:
              listen: 127.0.0.1:6000
            """);

        var settings = ConfigurationLoader.Load(file);

        Assert.Equal("./data", settings.Storage.DataDir);
    }

    private string Write(string yaml)
    {
        var file = Path.Combine(folder, "berth.yaml");
        File.WriteAllText(file, yaml);
        return file;
    }
}
