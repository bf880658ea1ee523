using Amazon.S3;

namespace Berth.Storage.S3.Tests;

/// <summary>
/// The S3-compatible server that <see cref="Variable"/> names (<c>endpoint=…;bucket=…;accessKeyId=…;secretAccessKey=…</c>);
/// ./test.sh starts s3rver on 127.0.0.1 and sets it. Each test works under its own key prefix.
/// </summary>
/// <remarks>Without the variable the tests fail with directions rather than skip, like the PostgreSQL ones.</remarks>
internal sealed record TestBucket(string Endpoint, string Bucket, string AccessKeyId, string SecretAccessKey)
{
    public const string Variable = "BERTH_TEST_S3";

    public static TestBucket FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so the S3 tests have no server. ./test.sh starts s3rver (npm) on 127.0.0.1 and sets it; to run these " +
                $"tests alone, run ./test.sh --filter \"FullyQualifiedName~S3\", or start an S3-compatible server and export " +
                $"{Variable}='endpoint=http://127.0.0.1:PORT;bucket=NAME;accessKeyId=…;secretAccessKey=…'.");
        }

        var parts = value.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : "", StringComparer.OrdinalIgnoreCase);
        string Get(string key) => parts.TryGetValue(key, out var v) && v.Length > 0 ? v : throw new InvalidOperationException($"{Variable} has no {key}=");
        return new TestBucket(Get("endpoint"), Get("bucket"), Get("accessKeyId"), Get("secretAccessKey"));
    }

    public S3ConnectionSettings Connection => new()
    {
        Endpoint = Endpoint,
        Region = "us-east-1",
        ForcePathStyle = true,
        AccessKeyId = AccessKeyId,
        SecretAccessKey = SecretAccessKey,
    };

    public IAmazonS3 CreateClient() => S3ClientFactory.Create(Connection);
}
