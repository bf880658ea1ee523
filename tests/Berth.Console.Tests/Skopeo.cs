using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Console.Tests;

/// <summary>
/// Pushes a tiny one-layer image with Debian's skopeo, a workload token as the password, as a CI job
/// would (<c>skopeo copy --dest-creds not-relevant:$TOKEN</c>). Bounded by a timeout.
/// </summary>
internal static class Skopeo
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <returns>skopeo's exit code and its standard error.</returns>
    public static async Task<(int ExitCode, string Error)> PushAsync(Uri registry, string repository, string tag, string token)
    {
        var layout = Path.Combine(Path.GetTempPath(), "berth-console-oci-" + Guid.NewGuid().ToString("N"));
        try
        {
            WriteLayout(layout, tag);
            var info = new ProcessStartInfo("skopeo") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                "copy", "--insecure-policy", "--dest-tls-verify=false", "--dest-creds", "not-relevant:" + token,
                $"oci:{layout}:{tag}", $"docker://{registry.Authority}/{repository}:{tag}",
            })
            {
                info.ArgumentList.Add(argument);
            }

            // Its own auth file and temp folder: nothing from the machine's logins.
            info.Environment["REGISTRY_AUTH_FILE"] = Path.Combine(layout, "auth.json");
            info.Environment["TMPDIR"] = layout;
            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start skopeo (test.sh installs it)");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"skopeo did not finish within {Timeout}");
            }

            await stdout;
            return (process.ExitCode, await stderr);
        }
        finally
        {
            Directory.Delete(layout, recursive: true);
        }
    }

    // An OCI image layout by hand: an empty tar as the one layer, its config, the manifest and the index naming the tag.
    private static void WriteLayout(string folder, string tag)
    {
        Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(folder, "auth.json"), """{"auths":{}}""");
        File.WriteAllText(Path.Combine(folder, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var layer = new byte[1024];
        var layerDigest = Blob(folder, layer);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{layerDigest}}}"]}}""");
        var configDigest = Blob(folder, config);
        var manifest = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{config.Length}}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{{layerDigest}}}","size":{{{layer.Length}}}}]}""");
        var manifestDigest = Blob(folder, manifest);
        File.WriteAllText(Path.Combine(folder, "index.json"), $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{manifestDigest}}}","size":{{{manifest.Length}}},"annotations":{"org.opencontainers.image.ref.name":"{{{tag}}}"}}]}""");
    }

    private static string Blob(string folder, byte[] content)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        File.WriteAllBytes(Path.Combine(folder, "blobs", "sha256", hex), content);
        return "sha256:" + hex;
    }
}
