namespace Berth.Interop.Tests.Infrastructure;

/// <summary>The command line that starts one registry server, and the path that says it is ready.</summary>
internal sealed record ServerLaunch(string FileName, IReadOnlyList<string> Arguments, string HealthPath)
{
    public static ServerLaunch For(RegistryTarget target, int port, string dataDirectory) => target switch
    {
        // `dotnet berth.dll` runs the server inside the dotnet host process itself (no
        // wrapper child), so killing this process kills the server.
        RegistryTarget.Berth => new ServerLaunch(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "berth.dll"), "serve", "--listen", $"127.0.0.1:{port}", "--data", dataDirectory],
            "/healthz"),
        RegistryTarget.Distribution => new ServerLaunch(
            "docker-registry",
            ["serve", WriteDistributionConfig(port, dataDirectory)],
            "/v2/"),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    private static string WriteDistributionConfig(int port, string dataDirectory)
    {
        var path = dataDirectory.TrimEnd('/') + $"-distribution-{port}.yml";
        File.WriteAllText(path, $"""
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: {dataDirectory}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        return path;
    }
}
