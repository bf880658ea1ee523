namespace Berth.Interop.Tests.Infrastructure;

internal static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    public static readonly string[] AllManifests = [OciManifest, OciIndex, DockerManifest, DockerManifestList];
}
