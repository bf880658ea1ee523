using System.Text;

namespace Berth.Configuration;

/// <summary>The bucket when <see cref="StorageSettings.Blobs"/> is <c>s3</c> (docs/configuration.md, docs/scale-out.md).</summary>
public sealed record S3Settings
{
    public const string ChecksumsWhenRequired = "whenRequired";

    public const string ChecksumsWhenSupported = "whenSupported";

    public string? Bucket { get; init; }

    /// <summary>The bucket's region (AWS S3); S3-compatible servers mostly take any, <c>us-east-1</c> when unset.</summary>
    public string? Region { get; init; }

    /// <summary>URL of an S3-compatible server (MinIO, Ceph RGW, R2…); unset for AWS S3.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which most S3-compatible servers want.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>A key prefix, so one bucket can hold several registries (<c>registry-a/</c>).</summary>
    public string Prefix { get; init; } = "";

    /// <summary>A static access key; unset uses the AWS SDK's default chain (environment, profile, web identity token file, instance role).</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The static key's secret: pass it as <c>BERTH_STORAGE__S3__SECRETACCESSKEY</c> rather than in the file; never logged.</summary>
    public string? SecretAccessKey { get; init; }

    /// <summary><c>whenRequired</c> (default; AWS S3 and S3-compatible servers alike) or <c>whenSupported</c> (the AWS SDK's own default).</summary>
    public string Checksums { get; init; } = ChecksumsWhenRequired;

    /// <summary>Answer authorized blob GETs with a 307 to a presigned URL of the bucket, valid for <c>tokens.lifetime</c>; off by default (streamed).</summary>
    public bool Redirect { get; init; }

    // A record prints every property; the secret key never is.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Bucket = {Bucket}, Region = {Region}, Endpoint = {Endpoint}, ForcePathStyle = {ForcePathStyle}, Prefix = {Prefix}, ")
            .Append($"AccessKeyId = {AccessKeyId}, SecretAccessKey = {(SecretAccessKey is null ? "(unset)" : "(redacted)")}, Checksums = {Checksums}, Redirect = {Redirect}");
        return true;
    }
}
