namespace Berth.Storage.S3;

/// <summary>
/// The AWS SDK's flexible checksums (<c>storage.s3.checksums</c>). Version 4 of the SDK computes CRC
/// checksums for every upload by default and sends them as trailers of an aws-chunked body, which many
/// S3-compatible servers reject or store verbatim. Berth verifies every blob's digest itself, so the
/// default asks for checksums only where an S3 operation requires one.
/// </summary>
public enum S3Checksums
{
    /// <summary>Only where the operation requires one (the SDK's <c>WHEN_REQUIRED</c>); works with AWS S3, MinIO, Ceph RGW, R2 and s3rver.</summary>
    WhenRequired,

    /// <summary>On every operation that supports one (the SDK's default, <c>WHEN_SUPPORTED</c>); AWS S3 and recent MinIO only.</summary>
    WhenSupported,
}
