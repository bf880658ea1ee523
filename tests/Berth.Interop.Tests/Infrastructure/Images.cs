namespace Berth.Interop.Tests.Infrastructure;

/// <summary>Builds images offline with buildah: one random file per layer, on top of `scratch`.</summary>
internal static class Images
{
    /// <summary>
    /// Commits <paramref name="layers"/> images in a chain (each `buildah from` the previous
    /// one, copies one file, commits), so the last image has one layer per file.
    /// </summary>
    public static async Task<string> BuildAsync(ClientSandbox clients, string name, int layers, string architecture = "amd64")
    {
        var from = "scratch";
        var image = name;
        for (var layer = 1; layer <= layers; layer++)
        {
            var container = (await clients.BuildahAsync("from", "--quiet", from)).StandardOutput.Trim();
            var file = clients.WriteRandomFile($"{Guid.NewGuid():N}.bin", 32 * 1024 * layer);
            await clients.BuildahAsync("copy", "--quiet", container, file, $"/layer{layer}.bin");
            await clients.BuildahAsync("config", "--arch", architecture, "--os", "linux", container);
            image = layer == layers ? name : $"{name}-layer{layer}";
            await clients.BuildahAsync("commit", "--quiet", container, image);
            await clients.BuildahAsync("rm", container);
            from = image;
        }
        return image;
    }
}
