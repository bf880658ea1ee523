using Berth.Configuration;

namespace Berth.Configuration.Tests;

/// <summary><c>storage.blobs</c> and <c>storage.s3.*</c>: defaults, validation, and messages that never show the secret.</summary>
public sealed class S3SettingsTests
{
    private const string Secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void Load_NothingSet_KeepsBlobsOnTheFilesystem()
    {
        var settings = ConfigurationLoader.Load(null);

        Assert.Equal("filesystem", settings.Storage.Blobs);
        Assert.False(settings.Storage.UsesS3);
        Assert.Equal("whenRequired", settings.Storage.S3.Checksums);
        Assert.False(settings.Storage.S3.Redirect);
    }

    [Fact]
    public void Load_S3WithEveryKey_BindsThem()
    {
        var settings = Load(new()
        {
            ["storage:s3:region"] = "eu-west-1",
            ["storage:s3:endpoint"] = "http://127.0.0.1:9000",
            ["storage:s3:forcePathStyle"] = "true",
            ["storage:s3:prefix"] = "registry-a/",
            ["storage:s3:accessKeyId"] = "AKIAEXAMPLE",
            ["storage:s3:secretAccessKey"] = Secret,
            ["storage:s3:checksums"] = "whenSupported",
        });

        var s3 = settings.Storage.S3;
        Assert.True(settings.Storage.UsesS3);
        Assert.Equal(("registry", "eu-west-1", "http://127.0.0.1:9000", true, "registry-a/", "AKIAEXAMPLE", "whenSupported"), (s3.Bucket, s3.Region, s3.Endpoint, s3.ForcePathStyle, s3.Prefix, s3.AccessKeyId, s3.Checksums));
    }

    [Theory]
    [InlineData("storage:blobs", "ceph", "storage.blobs 'ceph' must be 'filesystem' or 's3'")]
    [InlineData("storage:s3:bucket", "", "storage.s3.bucket must name the bucket")]
    [InlineData("storage:s3:bucket", "My_Bucket", "storage.s3.bucket 'My_Bucket' is not a bucket name")]
    [InlineData("storage:s3:endpoint", "minio:9000", "storage.s3.endpoint 'minio:9000' must be an http(s) URL")]
    [InlineData("storage:s3:prefix", "/registry", "storage.s3.prefix '/registry' must be a key prefix")]
    [InlineData("storage:s3:checksums", "always", "storage.s3.checksums 'always' must be 'whenRequired' (default) or 'whenSupported'")]
    public void Load_BadS3Value_NamesTheKey(string key, string value, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(new() { [key] = value, ["storage:s3:endpoint"] = key.EndsWith("endpoint", StringComparison.Ordinal) ? value : "http://127.0.0.1:9000" }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SecretWithoutAccessKey_SaysTheyGoTogetherWithoutTheSecret()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(new() { ["storage:s3:endpoint"] = "http://127.0.0.1:9000", ["storage:s3:secretAccessKey"] = Secret }));

        Assert.Contains("storage.s3.accessKeyId and storage.s3.secretAccessKey go together", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BucketWhileBlobsStayOnTheFilesystem_IsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(null, new Dictionary<string, string?> { ["storage:s3:bucket"] = "registry" }));

        Assert.Contains("storage.s3.bucket is set but storage.blobs is 'filesystem'", error.Message, StringComparison.Ordinal);
    }

    private static BerthSettings Load(Dictionary<string, string?> overrides)
    {
        overrides.TryAdd("storage:blobs", "s3");
        overrides.TryAdd("storage:s3:bucket", "registry");
        return ConfigurationLoader.Load(null, overrides);
    }
}
