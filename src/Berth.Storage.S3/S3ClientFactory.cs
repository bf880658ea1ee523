using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Berth.Storage.S3;

/// <summary>Builds the SDK client from <see cref="S3ConnectionSettings"/>.</summary>
public static class S3ClientFactory
{
    private const string CopySourceHeader = "x-amz-copy-source";

    public static IAmazonS3 Create(S3ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var checksums = settings.Checksums == S3Checksums.WhenSupported;
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            RequestChecksumCalculation = checksums ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = checksums ? ResponseChecksumValidation.WHEN_SUPPORTED : ResponseChecksumValidation.WHEN_REQUIRED,
            // Blob bodies are streamed; the SDK's own timeout would cut long transfers.
            Timeout = TimeSpan.FromMinutes(30),
        };
        if (!string.IsNullOrEmpty(settings.Region))
        {
            config.AuthenticationRegion = settings.Region;
        }

        if (!string.IsNullOrEmpty(settings.Endpoint))
        {
            config.ServiceURL = settings.Endpoint;
        }
        else if (!string.IsNullOrEmpty(settings.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        var client = string.IsNullOrEmpty(settings.AccessKeyId)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey), config);
        client.BeforeRequestEvent += KeepSlashesInCopySource;
        return client;
    }

    /// <summary>
    /// The SDK percent-encodes the slashes of CopyObject's <c>x-amz-copy-source</c> (<c>bucket%2Fkey</c>);
    /// some S3-compatible servers (s3rver) split bucket from key before decoding and find no bucket. With
    /// the slashes kept (<c>bucket/prefix/key</c>, as the AWS CLI sends it) every server reads it alike.
    /// Runs after marshalling and before signing, so the signature covers the header as sent.
    /// </summary>
    private static void KeepSlashesInCopySource(object sender, RequestEventArgs e)
    {
        if (e is WebServiceRequestEventArgs request && request.Headers.TryGetValue(CopySourceHeader, out var source))
        {
            request.Headers[CopySourceHeader] = source.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        }
    }
}
