using Berth.Configuration;

namespace Berth.Configuration.Tests;

/// <summary>
/// YAML file, BERTH_ environment overrides and validation. Environment variables are process-wide;
/// every test that sets one lives in this class, whose tests xunit runs one at a time.
/// </summary>
public sealed class ConfigurationLoaderTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-config-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> variables = [];

    public ConfigurationLoaderTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        foreach (var name in variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Load_NoFile_GivesDefaults()
    {
        var settings = ConfigurationLoader.Load(null);

        Assert.Equal("127.0.0.1:5000", settings.Server.Listen);
        Assert.Equal("./data", settings.Storage.DataDir);
        Assert.Equal(4 * 1024 * 1024, settings.Registry.MaxManifestBytes);
        Assert.Equal(TimeSpan.FromHours(1), settings.Registry.UploadExpiry);
        Assert.Equal(TimeSpan.Zero, settings.Registry.GcInterval);
        Assert.Equal(TimeSpan.FromHours(1), settings.Registry.GcGracePeriod);
        Assert.False(settings.Registry.GcDeleteUntagged);
    }

    [Fact]
    public void Load_GcIntervalDaily_TurnsBackgroundCollectionOn()
    {
        var settings = ConfigurationLoader.Load(null, new Dictionary<string, string?> { ["registry:gcInterval"] = "1.00:00:00", ["registry:gcDeleteUntagged"] = "true" });

        Assert.Equal(TimeSpan.FromDays(1), settings.Registry.GcInterval);
        Assert.True(settings.Registry.GcDeleteUntagged);
    }

    [Fact]
    public void Load_YamlFile_ReadsEveryKey()
    {
        var file = Write("""
            server:
              listen: 127.0.0.1:6000
              logFormat: json
              publicUrl: https://registry.example.com
            storage:
              dataDir: /var/lib/berth
            registry:
              maxManifestBytes: 8388608
              uploadExpiry: "00:30:00"
              uploadSweepInterval: "00:01:00"
            """);

        var settings = ConfigurationLoader.Load(file);

        Assert.Equal("127.0.0.1:6000", settings.Server.Listen);
        Assert.Equal("json", settings.Server.LogFormat);
        Assert.Equal("https://registry.example.com", settings.Server.PublicUrl);
        Assert.Equal("/var/lib/berth", settings.Storage.DataDir);
        Assert.Equal(8 * 1024 * 1024, settings.Registry.MaxManifestBytes);
        Assert.Equal(TimeSpan.FromMinutes(30), settings.Registry.UploadExpiry);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.Registry.UploadSweepInterval);
    }

    [Fact]
    public void Load_EnvironmentVariable_OverridesYaml()
    {
        var file = Write("""
            server:
              listen: 127.0.0.1:6000
            registry:
              maxManifestBytes: 8388608
            """);
        SetVariable("BERTH_SERVER__LISTEN", "127.0.0.1:7000");
        SetVariable("BERTH_REGISTRY__UPLOADEXPIRY", "02:00:00");

        var settings = ConfigurationLoader.Load(file);

        Assert.Equal("127.0.0.1:7000", settings.Server.Listen);
        Assert.Equal(TimeSpan.FromHours(2), settings.Registry.UploadExpiry);
        Assert.Equal(8 * 1024 * 1024, settings.Registry.MaxManifestBytes);
    }

    [Fact]
    public void Load_CommandLineOverride_WinsOverEnvironment()
    {
        SetVariable("BERTH_STORAGE__DATADIR", "/from/env");

        var settings = ConfigurationLoader.Load(null, new Dictionary<string, string?> { ["storage:dataDir"] = "/from/flag" });

        Assert.Equal("/from/flag", settings.Storage.DataDir);
    }

    [Fact]
    public void Load_ReachableListenWithoutPublicUrl_FailsNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(null, new Dictionary<string, string?> { ["server:listen"] = "0.0.0.0:5000" }));

        Assert.StartsWith("server.publicUrl is required when server.listen (0.0.0.0:5000) is not a loopback address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReachableListenWithPublicUrl_IsAccepted()
    {
        var settings = ConfigurationLoader.Load(null, new Dictionary<string, string?> { ["server:listen"] = "0.0.0.0:5000", ["server:publicUrl"] = "https://registry.example.com" });

        Assert.Equal("https://registry.example.com", settings.Server.PublicUrl);
    }

    [Fact]
    public void Load_UnknownKeyInYaml_FailsNamingTheKey()
    {
        var file = Write("""
            server:
              listen: 127.0.0.1:6000
              lisen: 127.0.0.1:6001
            """);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file));

        Assert.Contains("lisen", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Load_UnknownKeyFarFromEveryKnownOne_SaysItIsUnknownAndListsTheSectionsKeys()
    {
        var file = Write("""
            server:
              tlsCert: /etc/berth/tls.crt
            """);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file));

        Assert.StartsWith($"configuration error: {file}: unknown key server.tlsCert (server takes listen, publicUrl, service, insecureOpen, logFormat, ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("server:\n  lisen: 127.0.0.1:6001", "unknown key server.lisen; did you mean server.listen?")]
    [InlineData("server:\n  dataDir: /srv/berth", "unknown key server.dataDir; did you mean storage.dataDir?")]
    [InlineData("identityProviders:\n- name: gh\n  issuer: https://gh\n  audience: registry", "unknown key identityProviders[gh].audience; did you mean identityProviders[gh].audiences?")]
    public void Load_MisspeltKey_SuggestsTheNearestKnownKey(string yaml, string expected)
    {
        var file = Write(yaml);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file));

        Assert.Contains($"{file}: {expected}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BinderOptions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeysInsideListItems_NameTheItemByItsNameAndListEveryOne()
    {
        var file = Write("""
            robots:
            - name: ci-push
              identityProvider: github
              rule:
                claim: sub
              permissions:
              - project: library
                action: [push]
            """);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file));

        var lines = error.Message.Split(Environment.NewLine);
        Assert.Equal("configuration error:", lines[0]);
        Assert.Contains($"  {file}: unknown key robots[ci-push].rule; did you mean robots[ci-push].rules?", lines);
        Assert.Contains($"  {file}: unknown key robots[ci-push].permissions[0].action; did you mean robots[ci-push].permissions[0].actions?", lines);
    }

    [Fact]
    public void Load_RuleOperators_BindUnderTheirYamlNames()
    {
        var file = Write("""
            identityProviders:
            - name: github
              issuer: https://token.actions.githubusercontent.com
              audiences: [berth]
            projects:
            - name: library
            robots:
            - name: ci-push
              identityProvider: github
              rules:
              - claim: repository
                equals: acme/app
              - claim: ref
                glob: refs/heads/*
              - claim: sub
                regex: ^repo:acme/.*$
              - claim: event_name
                in: [push, workflow_dispatch]
              permissions:
              - project: library
                actions: [push]
            """);

        var rules = ConfigurationLoader.Load(file).Robots.Single().Rules;

        Assert.Equal(
            [("repository", "acme/app", null, null, null), ("ref", null, "refs/heads/*", null, null), ("sub", null, null, "^repo:acme/.*$", null), ("event_name", null, null, null, "push,workflow_dispatch")],
            rules.Select(r => (r.Claim, r.EqualTo, r.Glob, r.Regex, r.In is null ? null : string.Join(",", r.In))));
    }

    [Fact]
    public void Load_MisspeltRuleOperator_NamesTheKeyAndTheNearestOperator()
    {
        var file = Write("""
            robots:
            - name: ci-push
              identityProvider: github
              rules:
              - claim: sub
                equal: repo:acme/app:ref:refs/heads/main
            """);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file));

        Assert.Equal($"configuration error: {file}: unknown key robots[ci-push].rules[0].equal; did you mean robots[ci-push].rules[0].equals?", error.Message);
    }

    [Fact]
    public void Load_UnknownKeyInEnvironment_NamesTheVariable()
    {
        SetVariable("BERTH_SERVER__LISTN", "127.0.0.1:6000");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(null));

        Assert.Equal("configuration error: BERTH_SERVER__LISTN: unknown key server.LISTN; did you mean server.listen?", error.Message);
    }

    [Fact]
    public void Load_UnknownSection_FailsNamingTheSection()
    {
        var file = Write("""
            registri:
              maxManifestBytes: 8388608
            """);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file));

        Assert.Contains("registri", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Load_UnknownKeyInEnvironment_FailsNamingTheKey()
    {
        SetVariable("BERTH_SERVER__COLOUR", "blue");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(null));

        Assert.Contains("colour", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Load_ValueOfWrongType_FailsNamingTheKey()
    {
        var file = Write("""
            registry:
              maxManifestBytes: lots
            """);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file));

        Assert.Contains("maxManifestBytes", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("server:listen", "nowhere", "server.listen")]
    [InlineData("server:logFormat", "xml", "server.logFormat")]
    [InlineData("server:publicUrl", "not a url", "server.publicUrl")]
    [InlineData("registry:maxManifestBytes", "1000", "registry.maxManifestBytes")]
    [InlineData("registry:uploadExpiry", "-00:01:00", "registry.uploadExpiry")]
    [InlineData("registry:uploadClaimTimeout", "00:00:00.500", "registry.uploadClaimTimeout")]
    [InlineData("registry:uploadClaimTimeout", "02:00:00", "registry.uploadClaimTimeout")]
    [InlineData("registry:gcInterval", "-00:01:00", "registry.gcInterval")]
    [InlineData("registry:gcGracePeriod", "00:00:10", "registry.gcGracePeriod")]
    [InlineData("registry:gcMaxDeletions", "0", "registry.gcMaxDeletions")]
    [InlineData("server:adminLoginLifetime", "00:00:10", "server.adminLoginLifetime")]
    public void Load_InvalidValue_FailsNamingTheKey(string key, string value, string named)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(null, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PostgresFromEnvironment_BindsTheConnectionString()
    {
        SetVariable("BERTH_STORAGE__METADATA", "postgres");
        SetVariable("BERTH_STORAGE__POSTGRES__CONNECTIONSTRING", "Host=db.example.com;Database=berth;Username=berth;Password=s3cret");

        var settings = ConfigurationLoader.Load(null);

        Assert.True(settings.Storage.UsesPostgres);
        Assert.Equal("Host=db.example.com;Database=berth;Username=berth;Password=s3cret", settings.Storage.Postgres.ConnectionString);
    }

    [Theory]
    [InlineData("postgres", null, "is required")]
    [InlineData("postgres", "Database=berth;Password=s3cret", "must name a Host")]
    [InlineData("postgres", "Host=db;Password=s3cret;Colour=blue", "colour")]
    [InlineData("sqlite", "Host=db;Password=s3cret", "storage.metadata is 'sqlite'")]
    public void Load_PostgresConnectionStringUnusable_FailsNamingTheKeyNeverThePassword(string metadata, string? connectionString, string problem)
    {
        var overrides = new Dictionary<string, string?> { ["storage:metadata"] = metadata, ["storage:postgres:connectionString"] = connectionString };

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(null, overrides));

        Assert.Contains("storage.postgres.connectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownMetadataProvider_FailsNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(null, new Dictionary<string, string?> { ["storage:metadata"] = "mysql" }));

        Assert.Contains("storage.metadata 'mysql' must be 'sqlite' or 'postgres'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidYaml_FailsNamingTheFile()
    {
        var file = Write("server: [unclosed");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_FailsNamingTheFile()
    {
        var file = Path.Combine(folder, "absent.yaml");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileThatCannotBeRead_FailsNamingTheFile()
    {
        var notAFile = Directory.CreateDirectory(Path.Combine(folder, "berth.yaml")).FullName;

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(notAFile));

        Assert.StartsWith($"cannot read configuration file {notAFile}", error.Message, StringComparison.Ordinal);
    }

    private string Write(string yaml)
    {
        var file = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(file, yaml);
        return file;
    }

    private void SetVariable(string name, string value)
    {
        variables.Add(name);
        Environment.SetEnvironmentVariable(name, value);
    }
}
