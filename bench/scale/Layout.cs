using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Bench.Scale;

/// <summary>Content and its digest (sha256, as every committed blob and manifest is named).</summary>
internal sealed record Blob(string Digest, byte[] Content)
{
    public static Blob Of(string text)
    {
        var content = Encoding.UTF8.GetBytes(text);
        return new Blob("sha256:" + Convert.ToHexStringLower(SHA256.HashData(content)), content);
    }
}

/// <summary>One manifest row with its tag (or none), the blobs it references and whether its config is linked by this row.</summary>
internal sealed record ManifestRow(string Repository, string? Tag, Blob Manifest, string ArtifactType, string? Subject, string? Annotations, Blob Config, IReadOnlyList<Blob> References, bool LinksConfig);

/// <summary>
/// The registry one size describes, generated the same way every time, so the blob folder written once
/// serves both providers. For N manifests:
/// <code>
/// scale/big          N/10 image manifests, tags t0000000…            (deep tag pages)
/// scale/r00000…      the other image manifests round-robin over R = clamp(N/100, 10, 10000) repositories
/// scale/referrers    one image tagged "subject" and 1,000 untagged artifacts whose subject it is
/// </code>
/// Every image manifest references its own config blob and one of its repository's 4 layer blobs;
/// configs and layers are linked in their repository. max(10, N/100) orphan blobs (files nothing
/// links or references) give garbage collection something to find. Everything is 30 days old.
/// </summary>
internal sealed class Layout(int manifests)
{
    public const string BigRepository = "scale/big";
    public const string ReferrersRepository = "scale/referrers";
    public const int Referrers = 1000;
    public const int LayersPerRepository = 4;
    public const string ImageMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string EmptyMediaType = "application/vnd.oci.empty.v1+json";
    public const string ReferrerArtifactType = "application/vnd.example.sbom.v1+json";

    private readonly Dictionary<string, Blob[]> layers = new(StringComparer.Ordinal);
    private Blob? subject;

    public int Manifests => manifests;

    public int Repositories { get; } = Math.Clamp(manifests / 100, 10, 10_000);

    public int BigCount => manifests / 10;

    public int Orphans => Math.Max(10, manifests / 100);

    public long PushedAt { get; } = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeMilliseconds();

    public static Blob Empty { get; } = Blob.Of("{}");

    public static string RepositoryName(int index) => $"scale/r{index:D5}";

    public static string TagName(int index) => $"t{index:D7}";

    public IEnumerable<string> AllRepositories()
    {
        yield return BigRepository;
        yield return ReferrersRepository;
        for (var j = 0; j < Repositories; j++)
        {
            yield return RepositoryName(j);
        }
    }

    public IReadOnlyList<Blob> Layers(string repository)
    {
        if (!layers.TryGetValue(repository, out var blobs))
        {
            blobs = Enumerable.Range(0, LayersPerRepository)
                .Select(k => Blob.Of($"scale layer {repository} {k} " + new string('x', 200)))
                .ToArray();
            layers[repository] = blobs;
        }

        return blobs;
    }

    /// <summary>Where image manifest <paramref name="index"/> lives and its tag.</summary>
    public (string Repository, string Tag) Place(int index)
    {
        if (index < BigCount)
        {
            return (BigRepository, TagName(index));
        }

        var k = index - BigCount;
        return (RepositoryName(k % Repositories), TagName(k / Repositories));
    }

    /// <summary>The N image manifests, then the subject and its referrers.</summary>
    public IEnumerable<ManifestRow> AllManifests()
    {
        for (var i = 0; i < manifests; i++)
        {
            var (repository, tag) = Place(i);
            yield return Image(repository, tag, i);
        }

        var subjectRow = Subject();
        yield return subjectRow;
        for (var r = 0; r < Referrers; r++)
        {
            yield return Referrer(subjectRow.Manifest, r);
        }
    }

    public ManifestRow Subject()
    {
        var row = Image(ReferrersRepository, "subject", -1);
        subject = row.Manifest;
        return row;
    }

    public IEnumerable<Blob> AllOrphans() =>
        Enumerable.Range(0, Orphans).Select(k => Blob.Of($"scale orphan {k}"));

    /// <summary>An image manifest of <paramref name="repository"/>: a config of its own and one layer of the repository.</summary>
    public ManifestRow Image(string repository, string? tag, int index, string? annotation = null)
    {
        var config = Blob.Of("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"scale.index\":\"" + index.ToString(CultureInfo.InvariantCulture) + "\"}}}");
        var layer = Layers(repository)[(index & int.MaxValue) % LayersPerRepository];
        var annotations = annotation is null ? "" : $$""","annotations":{"scale.push":"{{annotation}}"}""";
        var manifest = Blob.Of(
            $$"""{"schemaVersion":2,"mediaType":"{{ImageMediaType}}","config":{"mediaType":"{{ConfigMediaType}}","digest":"{{config.Digest}}","size":{{config.Content.Length}}},"layers":[{"mediaType":"{{LayerMediaType}}","digest":"{{layer.Digest}}","size":{{layer.Content.Length}}}]{{annotations}}}""");
        return new ManifestRow(repository, tag, manifest, ConfigMediaType, null, null, config, [config, layer], LinksConfig: true);
    }

    private static ManifestRow Referrer(Blob subjectManifest, int index)
    {
        var empty = $$"""{"mediaType":"{{EmptyMediaType}}","digest":"{{Empty.Digest}}","size":{{Empty.Content.Length}}}""";
        var annotations = $$"""{"scale.index":"{{index}}"}""";
        var manifest = Blob.Of(
            $$"""{"schemaVersion":2,"mediaType":"{{ImageMediaType}}","artifactType":"{{ReferrerArtifactType}}","config":{{empty}},"layers":[{{empty}}],"subject":{"mediaType":"{{ImageMediaType}}","digest":"{{subjectManifest.Digest}}","size":{{subjectManifest.Content.Length}}},"annotations":{{annotations}}}""");
        return new ManifestRow(ReferrersRepository, null, manifest, ReferrerArtifactType, subjectManifest.Digest, annotations, Empty, [Empty], LinksConfig: index == 0);
    }

    /// <summary>The subject of the referrers (after <see cref="AllManifests"/> or <see cref="Subject"/> ran).</summary>
    public Blob SubjectManifest => subject ?? Subject().Manifest;
}
