using System.Text.RegularExpressions;

namespace Berth.Configuration;

/// <summary>Checks <c>storage.blobs</c> and <c>storage.s3.*</c>. Messages name keys, never the secret's value.</summary>
internal static partial class S3SettingsValidator
{
    public static void Validate(StorageSettings storage)
    {
        if (storage.Blobs is not (StorageSettings.FileSystemBlobs or StorageSettings.S3Blobs))
        {
            throw new ConfigurationException($"storage.blobs '{storage.Blobs}' must be 'filesystem' or 's3'");
        }

        var s3 = storage.S3;
        if (!storage.UsesS3)
        {
            // A replica that quietly kept its blobs on local disk would serve a registry of its own.
            if (!string.IsNullOrWhiteSpace(s3.Bucket))
            {
                throw new ConfigurationException(
                    "storage.s3.bucket is set but storage.blobs is 'filesystem'; set storage.blobs: s3 (BERTH_STORAGE__BLOBS=s3) to keep blobs in the bucket, or remove storage.s3");
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(s3.Bucket))
        {
            throw new ConfigurationException("storage.s3.bucket must name the bucket when storage.blobs is 's3'");
        }

        if (!BucketName().IsMatch(s3.Bucket))
        {
            throw new ConfigurationException($"storage.s3.bucket '{s3.Bucket}' is not a bucket name (3-63 lowercase letters, digits, dots and hyphens)");
        }

        if (s3.Endpoint is { Length: > 0 } endpoint
            && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.UserInfo)))
        {
            throw new ConfigurationException($"storage.s3.endpoint '{endpoint}' must be an http(s) URL without a path, such as https://minio.example.com:9000");
        }

        if (string.IsNullOrWhiteSpace(s3.Endpoint) && string.IsNullOrWhiteSpace(s3.Region) && Environment.GetEnvironmentVariable("AWS_REGION") is null
            && Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is null)
        {
            throw new ConfigurationException("storage.s3.region must name the bucket's region (e.g. eu-west-1) when no storage.s3.endpoint is set (or set AWS_REGION)");
        }

        if (string.IsNullOrEmpty(s3.AccessKeyId) != string.IsNullOrEmpty(s3.SecretAccessKey))
        {
            throw new ConfigurationException(
                "storage.s3.accessKeyId and storage.s3.secretAccessKey go together (the secret best as BERTH_STORAGE__S3__SECRETACCESSKEY); " +
                "leave both unset to use the AWS SDK's default credentials (environment, profile, web identity token file, instance role)");
        }

        if (s3.Prefix.StartsWith('/') || s3.Prefix.Contains("//", StringComparison.Ordinal) || s3.Prefix.Contains('\\', StringComparison.Ordinal))
        {
            throw new ConfigurationException($"storage.s3.prefix '{s3.Prefix}' must be a key prefix such as 'registry-a/' (no leading '/', no empty segment)");
        }

        if (s3.Checksums is not (S3Settings.ChecksumsWhenRequired or S3Settings.ChecksumsWhenSupported))
        {
            throw new ConfigurationException($"storage.s3.checksums '{s3.Checksums}' must be 'whenRequired' (default) or 'whenSupported'");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
