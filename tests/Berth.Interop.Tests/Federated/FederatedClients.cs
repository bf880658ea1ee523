using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Federated;

/// <summary>The skopeo calls the federated tests repeat, with a workload token as the password.</summary>
internal static class FederatedClients
{
    public const string AnyUser = "not-relevant";

    /// <summary>`skopeo copy` from <paramref name="source"/> to the registry with the token; returns the pushed digest.</summary>
    public static async Task<string> PushAsync(ClientSandbox clients, string source, string destination, string token)
    {
        var digestFile = clients.PathOf($"digest-{Guid.NewGuid():N}");
        await clients.SkopeoAsync(PushArguments(source, destination, token, digestFile));
        return File.ReadAllText(digestFile).Trim();
    }

    /// <summary>The same push, returning the result whatever the exit code.</summary>
    public static Task<CommandResult> TryPushAsync(ClientSandbox clients, string source, string destination, string token) =>
        clients.TrySkopeoAsync(PushArguments(source, destination, token, clients.PathOf($"digest-{Guid.NewGuid():N}")));

    /// <summary>`skopeo inspect` with <c>USER:PASSWORD</c> credentials, returning the result whatever the exit code.</summary>
    public static Task<CommandResult> TryInspectAsync(ClientSandbox clients, string reference, string user, string password) =>
        clients.TrySkopeoAsync("inspect", "--tls-verify=false", "--creds", $"{user}:{password}", reference);

    private static string[] PushArguments(string source, string destination, string token, string digestFile) =>
    [
        "copy", "--insecure-policy", "--dest-tls-verify=false", "--dest-creds", $"{AnyUser}:{token}",
        "--digestfile", digestFile, source, destination,
    ];
}
