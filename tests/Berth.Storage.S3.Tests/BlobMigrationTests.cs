using System.Text;
using Amazon.S3;
using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Storage.S3.Tests;

/// <summary>
/// <c>berth storage migrate --from filesystem --to s3</c> (<see cref="BlobMigration"/>) from a real data
/// folder into a real bucket (s3rver from ./test.sh): interrupted, resumed, every digest verified.
/// </summary>
public sealed class BlobMigrationTests : IDisposable
{
    private const int Large = 6 * 1024 * 1024 + 123;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-migrate-tests", Guid.NewGuid().ToString("N"));
    private readonly TestBucket bucket = TestBucket.FromEnvironment();
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly IAmazonS3 s3;
    private readonly S3BlobStoreOptions options;
    private readonly FileSystemBlobStore source;

    public BlobMigrationTests()
    {
        s3 = bucket.CreateClient();
        options = new S3BlobStoreOptions { Bucket = bucket.Bucket, Prefix = $"migrate/{Guid.NewGuid():N}/", PartSize = S3BlobStoreOptions.MinimumPartSize };
        source = new FileSystemBlobStore(folder, time);
    }

    public void Dispose()
    {
        s3.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task RunAsync_InterruptedThenRunAgain_CopiesEveryBlobOnceAndTheBucketServesThem()
    {
        var blobs = new[] { Bytes(1000, seed: 1), Bytes(Large, seed: 2), Bytes(50_000, seed: 3) };
        foreach (var bytes in blobs)
        {
            Assert.True((await source.IngestAsync(new MemoryStream(bytes), Digest.Compute(bytes), Ct)).Committed);
        }

        // The first run is stopped (Ctrl-C) as soon as it reports its first copy.
        using var stop = new CancellationTokenSource();
        var first = new Lines(line =>
        {
            if (line.StartsWith("copied ", StringComparison.Ordinal))
            {
                stop.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Migration(first).RunAsync(source, source, stop.Token));
        Assert.Single(first.All, l => l.StartsWith("copied ", StringComparison.Ordinal));

        var second = new Lines(_ => { });
        var result = await Migration(second).RunAsync(source, source, Ct);

        Assert.Equal(new BlobMigrationResult { Copied = 2, CopiedBytes = blobs.Sum(b => (long)b.Length) - Copied(first, blobs), Skipped = 1 }, result);
        Assert.Contains("2 copied", second.All[^1], StringComparison.Ordinal);
        var store = new S3BlobStore(s3, options, new NoClaims(), time);
        foreach (var bytes in blobs)
        {
            var content = await store.GetAsync(Digest.Compute(bytes), Ct);
            Assert.NotNull(content);
            await using var stream = await content.OpenAsync(Ct);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            Assert.Equal(bytes, copy.ToArray());
        }

        var third = await Migration(new Lines(_ => { })).RunAsync(source, source, Ct);
        Assert.Equal(new BlobMigrationResult { Skipped = 3 }, third);
    }

    [Fact]
    public async Task RunAsync_FileWhoseBytesDoNotMatchItsName_IsReportedAndNotCopied()
    {
        var good = Bytes(2000, seed: 4);
        var damaged = Bytes(Large, seed: 5);
        Assert.True((await source.IngestAsync(new MemoryStream(good), Digest.Compute(good), Ct)).Committed);
        var digest = Digest.Compute(damaged);
        Assert.True((await source.IngestAsync(new MemoryStream(damaged), digest, Ct)).Committed);
        var path = Path.Combine(folder, "blobs", "sha256", digest.Hex[..2], digest.Hex);
        File.SetAttributes(path, FileAttributes.Normal);
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = 100;
            file.WriteByte((byte)(damaged[100] ^ 0xff));
        }

        var lines = new Lines(_ => { });
        var result = await Migration(lines).RunAsync(source, source, Ct);

        Assert.Equal(new BlobMigrationResult { Copied = 1, CopiedBytes = good.Length, Failed = 1 }, result);
        Assert.Contains(lines.All, l => l.StartsWith($"NOT COPIED {digest}", StringComparison.Ordinal));
        Assert.Null(await new S3BlobStore(s3, options, new NoClaims(), time).StatAsync(digest, Ct));
    }

    private BlobMigration Migration(TextWriter output) => new(s3, options, time, output);

    private static long Copied(Lines run, byte[][] blobs) =>
        blobs.Where(b => run.All.Any(l => l.StartsWith($"copied {Digest.Compute(b)}", StringComparison.Ordinal))).Sum(b => (long)b.Length);

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The migration's printed lines, each also handed to <c>onLine</c> as it is written.</summary>
    private sealed class Lines(Action<string> onLine) : TextWriter
    {
        public List<string> All { get; } = [];

        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            All.Add(value ?? "");
            onLine(value ?? "");
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }

    private sealed class NoClaims : Berth.Registry.Metadata.IBlobClaimProbe
    {
        public Task<bool> IsBlobClaimedAsync(Digest digest, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
