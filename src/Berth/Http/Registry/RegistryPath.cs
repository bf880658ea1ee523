namespace Berth.Http.Registry;

internal enum RegistryRoute
{
    Catalog,
    Tags,
    Blob,
    Uploads,
    Upload,
    Manifest,
    Referrers,
    Unknown,
}

/// <summary>
/// Splits a path under <c>/v2/</c> into repository name and resource. Names contain slashes, so
/// the resource is found from the end: the word right before the last segment.
/// </summary>
internal readonly record struct RegistryPath(RegistryRoute Route, string Name, string Reference)
{
    public static RegistryPath Parse(string path)
    {
        if (path == "_catalog")
        {
            return new(RegistryRoute.Catalog, string.Empty, string.Empty);
        }

        if (path.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            return new(RegistryRoute.Tags, path[..^"/tags/list".Length], string.Empty);
        }

        foreach (var collection in UploadCollections)
        {
            if (path.EndsWith(collection, StringComparison.Ordinal) && path.Length > collection.Length)
            {
                return new(RegistryRoute.Uploads, path[..^collection.Length], string.Empty);
            }
        }

        // A reference (tag, digest, upload id) never contains '/': the resource word is the segment
        // right before the last one, and everything ahead of it is the name, whatever words it holds.
        var split = path.LastIndexOf('/') + 1;
        var head = path[..split];
        foreach (var (marker, route) in Markers)
        {
            if (head.EndsWith(marker, StringComparison.Ordinal) && head.Length > marker.Length)
            {
                return new(route, head[..^marker.Length], path[split..]);
            }
        }

        return new(RegistryRoute.Unknown, string.Empty, string.Empty);
    }

    private static readonly string[] UploadCollections = ["/blobs/uploads", "/blobs/uploads/"];

    private static readonly (string Marker, RegistryRoute Route)[] Markers =
    [
        ("/blobs/uploads/", RegistryRoute.Upload),
        ("/manifests/", RegistryRoute.Manifest),
        ("/blobs/", RegistryRoute.Blob),
        ("/referrers/", RegistryRoute.Referrers),
    ];
}
