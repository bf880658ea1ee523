using System.Text;
using Berth.Registry.Content;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.GarbageCollection;

/// <summary>Images pushed over HTTP for garbage-collection tests, and where their bytes live on disk.</summary>
internal static class GcImages
{
    /// <summary>An image of a fresh config, the given layers, tagged; returns the manifest's digest and its config's.</summary>
    public static async Task<(Digest Manifest, Digest Config)> PushAsync(HttpClient client, string repository, string tag, params byte[][] layers)
    {
        var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"{Guid.NewGuid():N}\"}}");
        var configDigest = await client.PushBlobAsync(repository, config);
        foreach (var layer in layers)
        {
            await client.PushBlobAsync(repository, layer);
        }

        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciManifest + "\"," +
            "\"config\":" + Oci.Descriptor("application/vnd.oci.image.config.v1+json", config) + "," +
            "\"layers\":[" + string.Join(",", layers.Select(l => Oci.Descriptor("application/vnd.oci.image.layer.v1.tar", l))) + "]}");
        return (await client.PushManifestAsync(repository, tag, manifest, MediaTypes.OciManifest), configDigest);
    }

    public static string BlobFile(string dataDir, Digest digest) => Path.Combine(dataDir, "blobs", digest.Algorithm, digest.Hex[..2], digest.Hex);
}
