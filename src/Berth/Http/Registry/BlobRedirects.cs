namespace Berth.Http.Registry;

/// <summary>
/// Whether blob GETs answer with a 307 to the store's presigned URL (<c>storage.s3.redirect</c>), and for
/// how long that URL is valid: the registry token's lifetime, so a redirect never outlives the access
/// that bought it, yet is valid when the client follows it at once.
/// </summary>
internal sealed record BlobRedirects(bool Enabled, TimeSpan Lifetime);
