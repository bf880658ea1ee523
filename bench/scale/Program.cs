// scale-fill: fills Berth's metadata store and blob folder directly (not through HTTP) for bench/scale.sh.
//
//   scale-fill --manifests N [--blobs DATADIR] [--sqlite DATADIR/metadata.db] [--postgres CONNSTRING] [--facts DIR]
//
// The store must be empty and already migrated (start Berth on it once). --facts writes what the
// benchmark requests: facts.env (shell variables), tags.txt and digests.txt (1,000 manifest GET paths
// each, spread over the store) and push/N.json (new manifests for the push measurement).
using System.Diagnostics;
using System.Globalization;
using Berth.Bench.Scale;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

if (!options.TryGetValue("--manifests", out var count) || !int.TryParse(count, CultureInfo.InvariantCulture, out var manifests) || manifests < 10)
{
    await Console.Error.WriteLineAsync("usage: scale-fill --manifests N (N >= 10) [--blobs DATADIR] [--sqlite FILE] [--postgres CONNSTRING] [--facts DIR]");
    return 2;
}

var layout = new Layout(manifests);
var cancellationToken = CancellationToken.None;

if (options.TryGetValue("--blobs", out var blobRoot))
{
    var watch = Stopwatch.StartNew();
    var folder = new BlobFolder(blobRoot, DateTimeOffset.FromUnixTimeMilliseconds(layout.PushedAt).UtcDateTime);
    folder.Write(Layout.Empty);
    foreach (var repository in layout.AllRepositories())
    {
        foreach (var layer in layout.Layers(repository))
        {
            folder.Write(layer);
        }
    }

    foreach (var row in layout.AllManifests())
    {
        folder.Write(row.Manifest);
        folder.Write(row.Config);
    }

    foreach (var orphan in layout.AllOrphans())
    {
        folder.Write(orphan);
    }

    Console.WriteLine($"blobs: {folder.Written} files in {watch.Elapsed.TotalSeconds:F1} s");
}

if (options.TryGetValue("--sqlite", out var sqlitePath))
{
    var watch = Stopwatch.StartNew();
    await new SqliteLoader(sqlitePath, layout).LoadAsync(cancellationToken);
    Console.WriteLine($"sqlite: {manifests + Layout.Referrers + 1} manifests in {watch.Elapsed.TotalSeconds:F1} s");
}

if (options.TryGetValue("--postgres", out var connectionString))
{
    var watch = Stopwatch.StartNew();
    await new PostgresLoader(connectionString, layout).LoadAsync(cancellationToken);
    Console.WriteLine($"postgres: {manifests + Layout.Referrers + 1} manifests in {watch.Elapsed.TotalSeconds:F1} s");
}

if (options.TryGetValue("--facts", out var factsDir))
{
    Facts.Write(factsDir, layout);
}

return 0;
