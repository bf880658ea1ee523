// bench/s3.sh's baseline named by issue 10: a file uploaded straight to the S3 server with the AWS SDK for .NET's
// TransferUtility (multipart, its default of 10 parts in flight, parts of BENCH_S3_PART_SIZE bytes like the curl
// baseline's), through a client built by Berth's S3ClientFactory: path style, checksums only where required, and
// over plain HTTP every part's payload signed, as Berth's own uploads are. One difference the TransferUtility does
// not let a caller change: it sends each part aws-chunked with a signature per chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD),
// where Berth signs each whole part (UseChunkEncoding = false). Ceph radosgw decodes the chunks; s3rver 3.7.1 stores
// them framing and all (the object is ~0.1 % larger than the file), which does not change what is timed.
//
// One process serves the whole bench run, so it is warm like the Berth it is compared with: it uploads a 24 MiB
// warm-up object (JIT, connection pool), prints "ready", then reads lines "KEY FILE" from stdin and answers each
// with the seconds the upload of FILE to KEY took, or a line starting with "error:".
using System.Diagnostics;
using System.Globalization;
using Amazon.S3.Transfer;
using Berth.Storage.S3;

var bucket = Setting("BENCH_S3_BUCKET");
var partSize = long.Parse(Setting("BENCH_S3_PART_SIZE"), CultureInfo.InvariantCulture);
using var s3 = S3ClientFactory.Create(new S3ConnectionSettings
{
    Endpoint = Setting("BENCH_S3_ENDPOINT"),
    Region = "us-east-1",
    ForcePathStyle = true,
    AccessKeyId = Setting("BENCH_S3_ACCESS_KEY"),
    SecretAccessKey = Setting("BENCH_S3_SECRET_KEY"),
});
using var transfer = new TransferUtility(s3, new TransferUtilityConfig());

var warmUp = Path.GetTempFileName();
try
{
    await File.WriteAllBytesAsync(warmUp, new byte[24 * 1024 * 1024]);
    await UploadAsync("s3-transfer-warm-up", warmUp);
    await s3.DeleteObjectAsync(bucket, "s3-transfer-warm-up");
}
finally
{
    File.Delete(warmUp);
}

Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    var fields = line.Split(' ', 2);
    try
    {
        Console.WriteLine((await UploadAsync(fields[0], fields[1])).ToString("F3", CultureInfo.InvariantCulture));
    }
    catch (Exception e)
    {
        // Any failure is the bench's to report: it reads this line instead of seconds and stops.
        Console.WriteLine($"error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
    }
}

async Task<double> UploadAsync(string key, string file)
{
    var clock = Stopwatch.StartNew();
    await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = bucket, Key = key, FilePath = file, PartSize = partSize });
    return clock.Elapsed.TotalSeconds;
}

static string Setting(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set");
