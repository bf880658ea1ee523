using System.Text.Json;
using Berth.Registry.Content;

namespace Berth.Registry.Manifests;

/// <summary>
/// Reads image manifests and indexes (OCI and Docker schema 2) as pushed. The bytes themselves are
/// stored untouched; this only extracts references, subject, artifact type and annotations.
/// </summary>
public static class ManifestParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <param name="contentType">The request's Content-Type, parameters allowed.</param>
    /// <exception cref="ManifestParseException">The manifest is not one Berth stores.</exception>
    public static ParsedManifest Parse(ReadOnlyMemory<byte> content, string? contentType)
    {
        var declaredType = StripParameters(contentType);
        if (MediaTypes.IsSchema1(declaredType))
        {
            throw Schema1Refused();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ManifestParseException($"manifest is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ManifestParseException("manifest must be a JSON object");
            }

            var schemaVersion = root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number ? version.GetInt32() : 0;
            if (schemaVersion == 1)
            {
                throw Schema1Refused();
            }

            if (schemaVersion != 2)
            {
                throw new ManifestParseException("manifest schemaVersion must be 2");
            }

            var mediaType = ResolveMediaType(root, declaredType);
            var subject = root.TryGetProperty("subject", out var subjectElement) ? ReadDescriptor(subjectElement, "subject").Digest : (Digest?)null;
            var annotations = root.TryGetProperty("annotations", out var annotationsElement) && annotationsElement.ValueKind == JsonValueKind.Object
                ? annotationsElement.GetRawText()
                : null;
            var artifactType = OptionalString(root, "artifactType");

            if (MediaTypes.IsIndex(mediaType))
            {
                var children = ReadDescriptors(root, "manifests", required: true).Select(d => d.Digest).ToList();
                return new ParsedManifest(mediaType, artifactType, subject, annotations, [], children);
            }

            if (!root.TryGetProperty("config", out var configElement))
            {
                throw new ManifestParseException("image manifest has no config descriptor");
            }

            var config = ReadDescriptor(configElement, "config");
            var blobs = new List<Digest> { config.Digest };
            foreach (var layer in ReadDescriptors(root, "layers", required: true))
            {
                // Foreign (non-distributable) layers live elsewhere, behind their urls.
                if (!layer.HasUrls)
                {
                    blobs.Add(layer.Digest);
                }
            }

            return new ParsedManifest(mediaType, artifactType ?? config.MediaType, subject, annotations, blobs.Distinct().ToList(), []);
        }
    }

    private static string ResolveMediaType(JsonElement root, string declaredType)
    {
        var bodyType = OptionalString(root, "mediaType");
        if (bodyType is not null && MediaTypes.IsSchema1(bodyType))
        {
            throw Schema1Refused();
        }

        // A generic Content-Type (application/json, octet-stream) says nothing; a manifest type must agree with the body.
        var declaredManifestType = MediaTypes.IsSupportedManifest(declaredType) ? declaredType : null;
        if (bodyType is not null && declaredManifestType is not null && bodyType != declaredManifestType)
        {
            throw new ManifestParseException($"manifest mediaType '{bodyType}' does not match Content-Type '{declaredType}'");
        }

        var mediaType = bodyType ?? declaredManifestType;
        mediaType ??= root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        if (!MediaTypes.IsSupportedManifest(mediaType))
        {
            throw new ManifestParseException($"unsupported manifest media type '{mediaType}'; Berth stores OCI image manifests and indexes and Docker schema 2 manifests and manifest lists");
        }

        return mediaType;
    }

    private static List<Descriptor> ReadDescriptors(JsonElement root, string property, bool required)
    {
        if (!root.TryGetProperty(property, out var array))
        {
            return required ? throw new ManifestParseException($"manifest has no '{property}' array") : [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new ManifestParseException($"manifest '{property}' must be an array");
        }

        return array.EnumerateArray().Select((element, index) => ReadDescriptor(element, $"{property}[{index}]")).ToList();
    }

    private static Descriptor ReadDescriptor(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestParseException($"{where} must be a descriptor object");
        }

        var mediaType = OptionalString(element, "mediaType") ?? throw new ManifestParseException($"{where} has no mediaType");
        var digestText = OptionalString(element, "digest");
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw new ManifestParseException($"{where} has an invalid digest '{digestText}'");
        }

        if (!element.TryGetProperty("size", out var size) || size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var length) || length < 0)
        {
            throw new ManifestParseException($"{where} has no valid size");
        }

        var hasUrls = element.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.Array && urls.GetArrayLength() > 0;
        return new Descriptor(mediaType, digest, hasUrls);
    }

    private static string? OptionalString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string StripParameters(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return string.Empty;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
    }

    private static ManifestParseException Schema1Refused() =>
        new("Docker image manifest schema 1 is not supported: it was deprecated in 2017; push the image with a current client, which writes schema 2 or OCI manifests");

    private readonly record struct Descriptor(string MediaType, Digest Digest, bool HasUrls);
}
