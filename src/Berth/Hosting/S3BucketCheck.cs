using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Berth.Configuration;
using Berth.Storage.S3;

namespace Berth.Hosting;

/// <summary>
/// Lists one key of the bucket before the server takes requests. An unreachable or refusing bucket ends
/// start-up with one line naming the endpoint and the bucket (never a credential), like an unreachable
/// database; the supervisor restarts Berth until the bucket answers.
/// </summary>
internal sealed class S3BucketCheck(IAmazonS3 s3, S3BlobStoreOptions options, BerthSettings settings, ILogger<S3BucketCheck> logger) : IHostedService
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket, Prefix = options.Prefix, MaxKeys = 1 }, timeout.Token);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = e switch
            {
                AmazonServiceException service => $"{(int)service.StatusCode} {service.ErrorCode}: {service.Message}",
                OperationCanceledException => $"no answer within {Timeout.TotalSeconds:0} s",
                _ => e.Message,
            };
            throw new ConfigurationException($"cannot use the blob store {BlobStoreRegistration.Describe(settings.Storage)}: {OneLine(reason)}");
        }

        logger.LogInformation("blob store ready: {Store}", BlobStoreRegistration.Describe(settings.Storage));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
