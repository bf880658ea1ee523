namespace Berth.Deploy.Tests.Support;

/// <summary>
/// What mcr.microsoft.com/dotnet/aspnet:10.0 gives a container, from Microsoft's Dockerfiles (dotnet/dotnet-docker,
/// src/runtime-deps and src/aspnet): the user <c>app</c> (uid 1654, home /home/app), ASPNETCORE_HTTP_PORTS=8080,
/// the runtime under /usr/share/dotnet. The image cannot be pulled here, so the tests stand it in with this.
/// </summary>
internal static class AspNetBaseImage
{
    public const string Reference = "mcr.microsoft.com/dotnet/aspnet:10.0";

    public const int AppUid = 1654;

    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["APP_UID"] = "1654",
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
        // Docker and containerd set HOME from /etc/passwd for the image's user; it is not writable on a read-only root.
        ["HOME"] = "/home/app",
    };
}
