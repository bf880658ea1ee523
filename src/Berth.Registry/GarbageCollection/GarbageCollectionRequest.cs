namespace Berth.Registry.GarbageCollection;

/// <param name="DryRun">Report what would be removed; change nothing.</param>
/// <param name="DeleteUntagged">Also remove manifests that no tag, index or live subject holds (distribution's <c>--delete-untagged</c>).</param>
public sealed record GarbageCollectionRequest(bool DryRun, bool DeleteUntagged);
