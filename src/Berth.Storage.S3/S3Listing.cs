using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Berth.Storage.S3;

/// <summary>Every object under a prefix, one ListObjectsV2 page (at most 1,000 keys) at a time.</summary>
internal static class S3Listing
{
    public static async IAsyncEnumerable<S3Object> ListAsync(IAmazonS3 s3, string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        while (true)
        {
            var page = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return item;
            }

            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }
}
