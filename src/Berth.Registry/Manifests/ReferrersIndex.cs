using System.Text.Json;
using Berth.Registry.Content;
using Berth.Registry.Metadata;

namespace Berth.Registry.Manifests;

/// <summary>
/// The answer of the referrers API (OCI distribution 1.1, end-12): an OCI image index whose
/// descriptors are the manifests whose <c>subject</c> is the asked digest, with their artifact type
/// and annotations copied from each manifest, as the specification asks.
/// </summary>
public static class ReferrersIndex
{
    public const string MediaType = MediaTypes.OciIndex;

    public static async Task WriteAsync(Stream destination, IReadOnlyList<ManifestInfo> referrers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(referrers);
        await using var json = new Utf8JsonWriter(destination);
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", 2);
        json.WriteString("mediaType", MediaType);
        json.WriteStartArray("manifests");
        foreach (var referrer in referrers)
        {
            json.WriteStartObject();
            json.WriteString("mediaType", referrer.MediaType);
            json.WriteString("digest", referrer.Digest.ToString());
            json.WriteNumber("size", referrer.Size);
            if (referrer.ArtifactType is not null)
            {
                json.WriteString("artifactType", referrer.ArtifactType);
            }

            if (referrer.AnnotationsJson is not null)
            {
                // Stored as the manifest carried them, already validated JSON.
                json.WritePropertyName("annotations");
                json.WriteRawValue(referrer.AnnotationsJson, skipInputValidation: true);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }
}
