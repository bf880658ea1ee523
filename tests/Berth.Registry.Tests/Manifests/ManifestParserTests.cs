using System.Text;
using Berth.Registry.Content;
using Berth.Registry.Manifests;

namespace Berth.Registry.Tests.Manifests;

public sealed class ManifestParserTests
{
    private static readonly Digest Config = Digest.Compute("config"u8);
    private static readonly Digest Layer = Digest.Compute("layer"u8);
    private static readonly Digest Child = Digest.Compute("child"u8);

    [Fact]
    public void Parse_OciImageManifest_ReadsConfigAndLayersAndConfigTypeAsArtifactType()
    {
        var parsed = Parse(Image(MediaTypes.OciManifest), MediaTypes.OciManifest);

        Assert.Equal(MediaTypes.OciManifest, parsed.MediaType);
        Assert.Equal([Config, Layer], parsed.BlobReferences);
        Assert.Empty(parsed.ManifestReferences);
        Assert.Equal("application/vnd.oci.image.config.v1+json", parsed.ArtifactType);
        Assert.Null(parsed.Subject);
        Assert.Null(parsed.AnnotationsJson);
    }

    [Fact]
    public void Parse_ContentTypeWithParameters_IsAccepted()
    {
        var parsed = Parse(Image(MediaTypes.OciManifest), MediaTypes.OciManifest + "; charset=utf-8");

        Assert.Equal(MediaTypes.OciManifest, parsed.MediaType);
    }

    [Fact]
    public void Parse_DockerManifest_KeepsDockerMediaType()
    {
        var parsed = Parse(Image(MediaTypes.DockerManifest), MediaTypes.DockerManifest);

        Assert.Equal(MediaTypes.DockerManifest, parsed.MediaType);
    }

    [Theory]
    [InlineData(MediaTypes.OciIndex)]
    [InlineData(MediaTypes.DockerManifestList)]
    public void Parse_Index_ReadsChildManifests(string mediaType)
    {
        var json = $"{{\"schemaVersion\":2,\"mediaType\":\"{mediaType}\",\"manifests\":[{Descriptor(MediaTypes.OciManifest, Child)},{Descriptor(MediaTypes.OciManifest, Child)}]}}";

        var parsed = Parse(json, mediaType);

        Assert.Equal(mediaType, parsed.MediaType);
        Assert.Equal([Child, Child], parsed.ManifestReferences);
        Assert.Empty(parsed.BlobReferences);
    }

    [Fact]
    public void Parse_NoMediaTypeAnywhere_GuessesFromShape()
    {
        var index = Parse($"{{\"schemaVersion\":2,\"manifests\":[{Descriptor(MediaTypes.OciManifest, Child)}]}}", "application/json");
        var image = Parse(Image(null), null);

        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Equal(MediaTypes.OciManifest, image.MediaType);
    }

    [Fact]
    public void Parse_ArtifactWithSubjectAndAnnotations_ReadsThem()
    {
        var subject = Digest.Compute("subject"u8);
        var json = $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"artifactType\":\"application/vnd.example\"," +
            $"\"config\":{Descriptor(MediaTypes.OciEmpty, Digest.Compute("{}"u8))},\"layers\":[]," +
            $"\"subject\":{Descriptor(MediaTypes.OciManifest, subject)},\"annotations\":{{\"k\": \"v\"}}}}";

        var parsed = Parse(json, MediaTypes.OciManifest);

        Assert.Equal("application/vnd.example", parsed.ArtifactType);
        Assert.Equal(subject, parsed.Subject);
        Assert.Equal("{\"k\": \"v\"}", parsed.AnnotationsJson);
        Assert.Equal([Digest.Compute("{}"u8)], parsed.BlobReferences);
    }

    [Fact]
    public void Parse_ForeignLayerWithUrls_IsNotARequiredBlob()
    {
        var json = $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.DockerManifest}\",\"config\":{Descriptor("application/vnd.docker.container.image.v1+json", Config)}," +
            $"\"layers\":[{Descriptor("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", Layer, "\"urls\":[\"https://example.com/layer\"]")}]}}";

        var parsed = Parse(json, MediaTypes.DockerManifest);

        Assert.Equal([Config], parsed.BlobReferences);
    }

    [Fact]
    public void Parse_SameBlobTwice_IsListedOnce()
    {
        var json = $"{{\"schemaVersion\":2,\"config\":{Descriptor("application/vnd.oci.image.config.v1+json", Config)}," +
            $"\"layers\":[{Descriptor("application/vnd.oci.image.layer.v1.tar", Layer)},{Descriptor("application/vnd.oci.image.layer.v1.tar", Layer)}]}}";

        var parsed = Parse(json, MediaTypes.OciManifest);

        Assert.Equal([Config, Layer], parsed.BlobReferences);
    }

    [Theory]
    [InlineData(MediaTypes.DockerSchema1)]
    [InlineData(MediaTypes.DockerSchema1Signed)]
    public void Parse_Schema1ContentType_RefusedWithClearMessage(string contentType)
    {
        var error = Assert.Throws<ManifestParseException>(() => Parse("{\"schemaVersion\":1}", contentType));

        Assert.Contains("schema 1 is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Schema1Body_RefusedWithClearMessage()
    {
        var error = Assert.Throws<ManifestParseException>(() => Parse("{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}", "application/json"));

        Assert.Contains("schema 1 is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Schema1MediaTypeInBody_Refused()
    {
        var error = Assert.Throws<ManifestParseException>(() => Parse($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.DockerSchema1Signed}\"}}", null));

        Assert.Contains("schema 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("\"text\"", "JSON object")]
    [InlineData("{\"schemaVersion\":3}", "schemaVersion must be 2")]
    [InlineData("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}", "schemaVersion must be 2")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}", "no config")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\"}", "'manifests'")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":{}}", "must be an array")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example+json\",\"manifests\":[]}", "unsupported manifest media type")]
    public void Parse_Malformed_RefusedWithReason(string json, string reason)
    {
        var error = Assert.Throws<ManifestParseException>(() => Parse(json, null));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"digest\":\"sha256:short\",\"size\":1,\"mediaType\":\"x\"", "invalid digest")]
    [InlineData("\"size\":1,\"mediaType\":\"x\"", "invalid digest")]
    [InlineData("\"digest\":\"DIGEST\",\"mediaType\":\"x\"", "no valid size")]
    [InlineData("\"digest\":\"DIGEST\",\"size\":-1,\"mediaType\":\"x\"", "no valid size")]
    [InlineData("\"digest\":\"DIGEST\",\"size\":\"1\",\"mediaType\":\"x\"", "no valid size")]
    [InlineData("\"digest\":\"DIGEST\",\"size\":1", "no mediaType")]
    public void Parse_BadDescriptor_RefusedNamingWhere(string descriptor, string reason)
    {
        var json = $"{{\"schemaVersion\":2,\"config\":{Descriptor("application/vnd.oci.image.config.v1+json", Config)},\"layers\":[{{{descriptor.Replace("DIGEST", Layer.ToString(), StringComparison.Ordinal)}}}]}}";

        var error = Assert.Throws<ManifestParseException>(() => Parse(json, MediaTypes.OciManifest));

        Assert.Contains("layers[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BodyTypeDisagreesWithContentType_Refused()
    {
        var error = Assert.Throws<ManifestParseException>(() => Parse(Image(MediaTypes.OciManifest), MediaTypes.DockerManifest));

        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GenericContentType_UsesBodyMediaType()
    {
        var parsed = Parse(Image(MediaTypes.DockerManifest), "application/octet-stream");

        Assert.Equal(MediaTypes.DockerManifest, parsed.MediaType);
    }

    private static ParsedManifest Parse(string json, string? contentType) => ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType);

    private static string Descriptor(string mediaType, Digest digest, string? extra = null) =>
        $"{{\"mediaType\":\"{mediaType}\",\"digest\":\"{digest}\",\"size\":10{(extra is null ? string.Empty : "," + extra)}}}";

    private static string Image(string? mediaType) =>
        "{\"schemaVersion\":2," + (mediaType is null ? string.Empty : $"\"mediaType\":\"{mediaType}\",") +
        $"\"config\":{Descriptor("application/vnd.oci.image.config.v1+json", Config)}," +
        $"\"layers\":[{Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", Layer)}]}}";
}
