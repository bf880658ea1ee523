namespace Berth.Configuration;

/// <summary>The bucket when <see cref="StorageSettings.Blobs"/> is <c>s3</c> (docs/configuration.md, docs/scale-out.md).</summary>
public sealed class S3Settings
{
    public const string ChecksumsWhenRequired = "whenRequired";

    public const string ChecksumsWhenSupported = "whenSupported";

    public string? Bucket { get; set; }

    /// <summary>The bucket's region (AWS S3); S3-compatible servers mostly take any, <c>us-east-1</c> when unset.</summary>
    public string? Region { get; set; }

    /// <summary>URL of an S3-compatible server (MinIO, Ceph RGW, R2…); unset for AWS S3.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which most S3-compatible servers want.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>A key prefix, so one bucket can hold several registries (<c>registry-a/</c>).</summary>
    public string Prefix { get; set; } = "";

    /// <summary>A static access key; unset uses the AWS SDK's default chain (environment, profile, web identity token file, instance role).</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The static key's secret: pass it as <c>BERTH_STORAGE__S3__SECRETACCESSKEY</c> rather than in the file; never logged.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary><c>whenRequired</c> (default; AWS S3 and S3-compatible servers alike) or <c>whenSupported</c> (the AWS SDK's own default).</summary>
    public string Checksums { get; set; } = ChecksumsWhenRequired;

    /// <summary>Answer authorized blob GETs with a 307 to a presigned URL of the bucket, valid for <c>tokens.lifetime</c>; off by default (streamed).</summary>
    public bool Redirect { get; set; }
}
