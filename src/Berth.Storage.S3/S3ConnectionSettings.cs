namespace Berth.Storage.S3;

/// <summary>How to reach the bucket: endpoint, region, addressing, credentials and checksum behaviour.</summary>
public sealed record S3ConnectionSettings
{
    /// <summary>An S3-compatible server's URL (MinIO, Ceph RGW, R2…); null for AWS S3 itself.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The bucket's region; S3-compatible servers mostly accept any (<c>us-east-1</c>).</summary>
    public string? Region { get; init; }

    /// <summary><c>https://endpoint/bucket/key</c> instead of <c>https://bucket.endpoint/key</c>; most S3-compatible servers want it.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>A static key; null uses the AWS SDK's default credential chain (environment, profile, web identity token file, instance role).</summary>
    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    /// <summary>When the SDK adds flexible checksums to requests and validates them on responses.</summary>
    public S3Checksums Checksums { get; init; } = S3Checksums.WhenRequired;
}
