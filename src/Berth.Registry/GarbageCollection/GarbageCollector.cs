using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Microsoft.Extensions.Logging;

namespace Berth.Registry.GarbageCollection;

/// <summary>
/// Mark from the metadata store, sweep the blob store. A run, holding the store's one lease:
/// <list type="number">
/// <item>with <c>DeleteUntagged</c>, removes manifests no tag, index or live subject holds;</item>
/// <item>removes blob links that no manifest of their repository references;</item>
/// <item>walks the blob store and deletes bytes that nothing (link, manifest, reference) holds, orphan
/// files the database never knew included.</item>
/// </list>
/// Everything younger than the grace period stays: pushes upload blobs first and the manifest last.
/// </summary>
/// <remarks>
/// How a push that runs at the same time stays whole:
/// <list type="bullet">
/// <item>Its blobs' bytes are younger than the grace period (every commit renames fresh bytes into
/// place, even over an existing digest), and the blob store's delete re-checks the age of what it
/// actually removed, so a commit racing the delete survives.</item>
/// <item>Its links are younger than the grace period (linking again refreshes the time) until its
/// manifest references them.</item>
/// <item>A manifest pushed while its link is dropped fails its re-check and answers "blob unknown"
/// (<see cref="Manifests.ManifestService"/>); a mount of a claimed digest is refused and becomes an upload.</item>
/// <item>The bytes of a digest are deleted only under a claim that the store grants atomically while no
/// link, manifest or reference exists.</item>
/// </list>
/// </remarks>
public sealed class GarbageCollector(
    IGcCandidateStore candidates,
    IGcCoordinationStore coordination,
    IBlobInventory blobs,
    GarbageCollectionOptions options,
    TimeProvider time,
    ILogger<GarbageCollector> logger)
{
    /// <summary>Long enough for a page of work; renewed after each page, so a crashed run frees the store soon.</summary>
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(10);

    /// <summary>Runs once; null when another run (this or another replica) holds the store.</summary>
    public async Task<GarbageCollectionReport?> RunAsync(GarbageCollectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var holder = Guid.NewGuid().ToString("N");
        if (!await coordination.TryAcquireGcLeaseAsync(holder, startedAt + LeaseDuration, cancellationToken))
        {
            logger.LogInformation("garbage collection skipped: another run holds the metadata store");
            return null;
        }

        var run = new Run(request, startedAt - options.GracePeriod, options.MaxDeletionsPerRun, holder);
        try
        {
            // Only the lease holder deletes, so claims still there were left by a run that crashed.
            await coordination.ClearBlobClaimsAsync(cancellationToken);
            if (request.DeleteUntagged)
            {
                await SweepUntaggedManifestsAsync(run, cancellationToken);
            }

            await SweepStaleLinksAsync(run, cancellationToken);
            await SweepBlobsAsync(run, cancellationToken);
        }
        finally
        {
            await coordination.ReleaseGcLeaseAsync(holder, CancellationToken.None);
        }

        var report = new GarbageCollectionReport(
            request.DryRun, request.DeleteUntagged, run.Manifests, run.Links, run.Blobs, run.Bytes, run.Exhausted, startedAt, time.GetElapsedTime(started));
        logger.LogInformation(
            "garbage collection {Mode}: {Manifests} untagged manifests, {Links} links, {Blobs} blobs, {Bytes} bytes {Verb} in {Duration} ms{Truncated}",
            request.DryRun ? "dry run" : "run",
            report.ManifestsDeleted,
            report.LinksRemoved,
            report.BlobsDeleted,
            report.BytesFreed,
            request.DryRun ? "would be removed" : "removed",
            (long)report.Duration.TotalMilliseconds,
            report.Truncated ? " (bound reached; the next run goes on)" : "");
        RecordMetrics(report);
        return report;
    }

    /// <summary>A dry run counts as a run but frees nothing, so its would-be deletions are not counted.</summary>
    private static void RecordMetrics(GarbageCollectionReport report)
    {
        RegistryMetrics.GcRuns.Add(1, new KeyValuePair<string, object?>("dry_run", report.DryRun ? "true" : "false"));
        if (!report.DryRun)
        {
            RegistryMetrics.GcBlobsDeleted.Add(report.BlobsDeleted);
            RegistryMetrics.GcFreed.Add(report.BytesFreed);
        }
    }

    private async Task SweepUntaggedManifestsAsync(Run run, CancellationToken cancellationToken)
    {
        RepositoryDigest? after = null;
        while (!run.Exhausted)
        {
            var page = await candidates.ListUntaggedManifestsAsync(run.Cutoff, after, options.PageSize, cancellationToken);
            foreach (var manifest in page)
            {
                if (run.Exhausted)
                {
                    return;
                }

                if (run.Request.DryRun || await candidates.DeleteUntaggedManifestAsync(manifest, run.Cutoff, cancellationToken))
                {
                    run.Manifests++;
                }
            }

            if (page.Count < options.PageSize)
            {
                return;
            }

            after = page[^1];
            await RenewLeaseAsync(run, cancellationToken);
        }
    }

    private async Task SweepStaleLinksAsync(Run run, CancellationToken cancellationToken)
    {
        RepositoryDigest? after = null;
        while (!run.Exhausted)
        {
            var page = await candidates.ListStaleLinksAsync(run.Cutoff, after, options.PageSize, cancellationToken);
            foreach (var link in page)
            {
                if (run.Exhausted)
                {
                    return;
                }

                if (run.Request.DryRun || await candidates.DropStaleLinkAsync(link, run.Cutoff, cancellationToken))
                {
                    run.Links++;
                }
            }

            if (page.Count < options.PageSize)
            {
                return;
            }

            after = page[^1];
            await RenewLeaseAsync(run, cancellationToken);
        }
    }

    private async Task SweepBlobsAsync(Run run, CancellationToken cancellationToken)
    {
        var page = new List<StoredBlob>(options.PageSize);
        await foreach (var blob in blobs.ListBlobsAsync(cancellationToken))
        {
            if (blob.LastModified >= run.Cutoff)
            {
                continue;
            }

            page.Add(blob);
            if (page.Count == options.PageSize)
            {
                await SweepBlobPageAsync(run, page, cancellationToken);
                page.Clear();
                await RenewLeaseAsync(run, cancellationToken);
                if (run.Exhausted)
                {
                    return;
                }
            }
        }

        await SweepBlobPageAsync(run, page, cancellationToken);
    }

    private async Task SweepBlobPageAsync(Run run, List<StoredBlob> page, CancellationToken cancellationToken)
    {
        if (page.Count == 0)
        {
            return;
        }

        var sizes = page.ToDictionary(b => b.Digest, b => b.Size);
        foreach (var digest in await candidates.FindCollectibleBlobsAsync(sizes.Keys, run.Cutoff, cancellationToken))
        {
            if (run.Exhausted)
            {
                return;
            }

            var freed = run.Request.DryRun ? sizes[digest] : await DeleteBlobAsync(digest, run.Cutoff, cancellationToken);
            if (freed is { } bytes)
            {
                run.Blobs++;
                run.Bytes += bytes;
            }
        }
    }

    private async Task<long?> DeleteBlobAsync(Digest digest, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        if (!await coordination.TryClaimBlobAsync(digest, cancellationToken))
        {
            // Linked or referenced again since the page was read.
            return null;
        }

        try
        {
            return await blobs.DeleteIfUnmodifiedAsync(digest, cutoff, cancellationToken);
        }
        finally
        {
            await coordination.ReleaseBlobClaimAsync(digest, CancellationToken.None);
        }
    }

    private async Task RenewLeaseAsync(Run run, CancellationToken cancellationToken)
    {
        if (!await coordination.TryAcquireGcLeaseAsync(run.Holder, time.GetUtcNow() + LeaseDuration, cancellationToken))
        {
            throw new InvalidOperationException("garbage collection lost its lease on the metadata store (a page took longer than the lease)");
        }
    }

    /// <summary>The state of one run: its cut-off, its bound and what it counted so far.</summary>
    private sealed class Run(GarbageCollectionRequest request, DateTimeOffset cutoff, int maxDeletions, string holder)
    {
        public GarbageCollectionRequest Request { get; } = request;

        public DateTimeOffset Cutoff { get; } = cutoff;

        public string Holder { get; } = holder;

        public int Manifests { get; set; }

        public int Links { get; set; }

        public int Blobs { get; set; }

        public long Bytes { get; set; }

        public bool Exhausted => Manifests + Links + Blobs >= maxDeletions;
    }
}
