using Amazon.S3;
using Berth.Configuration;
using Berth.Http.Registry;
using Berth.Registry.Blobs;
using Berth.Registry.Metadata;
using Berth.Storage.S3;

namespace Berth.Hosting;

/// <summary>Registers the configured blob store (filesystem or S3) under the three blob seams.</summary>
internal static class BlobStoreRegistration
{
    public static IServiceCollection AddBlobStore(this IServiceCollection services, StorageSettings storage, TokenSettings tokens)
    {
        services.AddSingleton(new BlobRedirects(storage.UsesS3 && storage.S3.Redirect, tokens.Lifetime));
        if (!storage.UsesS3)
        {
            var dataDir = Path.GetFullPath(storage.DataDir);
            services.AddSingleton(provider => new FileSystemBlobStore(dataDir, provider.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<FileSystemBlobStore>());
            services.AddSingleton<IUploadStaging>(provider => provider.GetRequiredService<FileSystemBlobStore>());
            services.AddSingleton<IBlobInventory>(provider => provider.GetRequiredService<FileSystemBlobStore>());
            return services;
        }

        return services.AddS3BlobStore(storage.S3);
    }

    // Its own method so that the JIT loads the S3 assemblies (AWSSDK.Core, AWSSDK.S3: about 1.5 MiB of
    // mapped code) only when S3 is configured, not at every start on the filesystem store.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IServiceCollection AddS3BlobStore(this IServiceCollection services, S3Settings s3)
    {
        var options = ToOptions(s3);
        services.AddSingleton(ToConnection(s3));
        services.AddSingleton(provider => S3ClientFactory.Create(provider.GetRequiredService<S3ConnectionSettings>()));
        services.AddSingleton(options);
        services.AddSingleton(provider => new S3BlobStore(
            provider.GetRequiredService<IAmazonS3>(), options, provider.GetRequiredService<IBlobClaimProbe>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<S3BlobStore>());
        services.AddSingleton<IBlobInventory>(provider => provider.GetRequiredService<S3BlobStore>());
        services.AddSingleton<IUploadStaging>(provider => new S3UploadStaging(
            provider.GetRequiredService<IAmazonS3>(), options, provider.GetRequiredService<IBlobClaimProbe>(), provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<S3BucketCheck>();
        return services;
    }

    /// <summary>What the log may say about the blob store: its kind and where (never a credential).</summary>
    public static string Describe(StorageSettings storage) =>
        storage.UsesS3
            ? $"s3 bucket '{storage.S3.Bucket}' at {storage.S3.Endpoint ?? "AWS S3 " + (storage.S3.Region ?? Environment.GetEnvironmentVariable("AWS_REGION"))}" +
              (string.IsNullOrEmpty(storage.S3.Prefix) ? "" : $" under '{NormalizePrefix(storage.S3.Prefix)}'")
            : "filesystem " + Path.Combine(Path.GetFullPath(storage.DataDir), "blobs");

    /// <summary>The S3 store's options from <c>storage.s3</c> (also read by <c>berth storage migrate</c>).</summary>
    internal static S3BlobStoreOptions ToOptions(S3Settings s3) => new() { Bucket = s3.Bucket!, Prefix = NormalizePrefix(s3.Prefix) };

    private static string NormalizePrefix(string prefix) =>
        prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";

    internal static S3ConnectionSettings ToConnection(S3Settings s3) => new()
    {
        Endpoint = string.IsNullOrWhiteSpace(s3.Endpoint) ? null : s3.Endpoint,
        Region = string.IsNullOrWhiteSpace(s3.Region) ? null : s3.Region,
        ForcePathStyle = s3.ForcePathStyle,
        AccessKeyId = string.IsNullOrEmpty(s3.AccessKeyId) ? null : s3.AccessKeyId,
        SecretAccessKey = string.IsNullOrEmpty(s3.SecretAccessKey) ? null : s3.SecretAccessKey,
        Checksums = s3.Checksums == S3Settings.ChecksumsWhenSupported ? S3Checksums.WhenSupported : S3Checksums.WhenRequired,
    };
}
