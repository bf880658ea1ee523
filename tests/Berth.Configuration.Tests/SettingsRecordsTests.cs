using Berth.Configuration;

namespace Berth.Configuration.Tests;

/// <summary>Settings are records, whose printed form lists every property: the secrets among them never show.</summary>
public sealed class SettingsRecordsTests
{
    [Fact]
    public void ToString_PostgresPasswordAndS3SecretSet_PrintsNeither()
    {
        var settings = new BerthSettings
        {
            Storage = new()
            {
                Postgres = new() { ConnectionString = "Host=db;Username=registry;Password=hunter2" },
                S3 = new() { Bucket = "images", AccessKeyId = "AKIAEXAMPLE", SecretAccessKey = "wJalrXUtnFEMI" },
            },
        };

        var printed = settings.ToString();

        Assert.Contains("Bucket = images", printed, StringComparison.Ordinal);
        Assert.Contains("SecretAccessKey = (redacted)", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMI", printed, StringComparison.Ordinal);
    }
}
