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
/// the resource is found from the end (the last <c>/blobs/</c>, <c>/manifests/</c>, …).
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

        var uploads = path.LastIndexOf("/blobs/uploads", StringComparison.Ordinal);
        if (uploads > 0)
        {
            var rest = path[(uploads + "/blobs/uploads".Length)..].TrimStart('/');
            return new(rest.Length == 0 ? RegistryRoute.Uploads : RegistryRoute.Upload, path[..uploads], rest);
        }

        foreach (var (marker, route) in Markers)
        {
            var index = path.LastIndexOf(marker, StringComparison.Ordinal);
            if (index > 0)
            {
                return new(route, path[..index], path[(index + marker.Length)..]);
            }
        }

        return new(RegistryRoute.Unknown, string.Empty, string.Empty);
    }

    private static readonly (string Marker, RegistryRoute Route)[] Markers =
    [
        ("/manifests/", RegistryRoute.Manifest),
        ("/blobs/", RegistryRoute.Blob),
        ("/referrers/", RegistryRoute.Referrers),
    ];
}
