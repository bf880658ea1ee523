using System.Globalization;
using Berth.Access.Permissions;
using Berth.Registry;
using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Berth.Registry.Manifests;

namespace Berth.Http.Registry;

/// <summary>GET/HEAD/PUT/DELETE of manifests by tag or digest (end-3, end-7, end-9).</summary>
internal sealed class ManifestHandlers(ManifestService manifests, RegistryOptions options, IRegistryAccessCheck access)
{
    public async Task GetAsync(HttpContext context, string repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Pull(repository)], cancellationToken))
        {
            return;
        }

        // A reading client asks whether a manifest exists; one that no tag or digest could name does
        // not (404, as CNCF distribution answers and the OCI conformance suite expects). Writes keep 400.
        if (!IsValidReference(reference))
        {
            await ManifestUnknownAsync(context, repository, reference);
            return;
        }

        var response = context.Response;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            var info = await manifests.ResolveAsync(repository, reference, cancellationToken);
            if (info is null)
            {
                await ManifestUnknownAsync(context, repository, reference);
                return;
            }

            SetManifestHeaders(response, info.Digest, info.MediaType, info.Size);
            return;
        }

        var stored = await manifests.GetAsync(repository, reference, cancellationToken);
        if (stored is null)
        {
            await ManifestUnknownAsync(context, repository, reference);
            return;
        }

        SetManifestHeaders(response, stored.Info.Digest, stored.Info.MediaType, stored.Content.Length);
        await response.Body.WriteAsync(stored.Content, cancellationToken);
        RegistryMetrics.Pulled.Add(stored.Content.Length, RegistryMetrics.Kind("manifest"));
    }

    public async Task PutAsync(HttpContext context, string repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Pull(repository), AccessRequirement.Push(repository)], cancellationToken))
        {
            return;
        }

        var limit = options.MaxManifestBytes;
        if (context.Request.ContentLength > limit)
        {
            await TooLargeAsync(context, limit);
            return;
        }

        var body = await ReadBoundedAsync(context.Request.Body, limit, cancellationToken);
        if (body is null)
        {
            await TooLargeAsync(context, limit);
            return;
        }

        // ?tag=a&tag=b (distribution spec 1.1.1): more tags for the same push; each answers as OCI-Tag.
        var tags = context.Request.Query["tag"].OfType<string>().ToList();
        var result = await manifests.PutAsync(repository, reference, tags, body, context.Request.ContentType, cancellationToken);
        switch (result.Outcome)
        {
            case ManifestPutOutcome.Created:
                var response = context.Response;
                response.StatusCode = StatusCodes.Status201Created;
                response.Headers.Location = $"/v2/{repository}/manifests/{result.Digest}";
                response.Headers["Docker-Content-Digest"] = result.Digest.ToString();
                if (tags.Count > 0)
                {
                    response.Headers["OCI-Tag"] = result.Tags.ToArray();
                }

                if (result.Subject is { } subject)
                {
                    response.Headers["OCI-Subject"] = subject.ToString();
                }

                response.ContentLength = 0;
                break;
            case ManifestPutOutcome.Invalid:
                await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.ManifestInvalid, result.Message!);
                break;
            case ManifestPutOutcome.DigestMismatch:
                await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.DigestInvalid, result.Message!);
                break;
            case ManifestPutOutcome.TagInvalid:
                await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.TagInvalid, result.Message!);
                break;
            case ManifestPutOutcome.ReferencesUnknown:
                var unknown = result.Unknown!.Select(d => d.ToString()).ToList();
                await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.ManifestBlobUnknown, $"{result.Message}: push them first ({string.Join(", ", unknown.Take(5))})", new { digests = unknown });
                break;
            default:
                throw new InvalidOperationException($"unexpected manifest outcome {result.Outcome}");
        }
    }

    public async Task DeleteAsync(HttpContext context, string repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Delete(repository)], cancellationToken)
            || !await CheckReferenceAsync(context, reference))
        {
            return;
        }

        if (!await manifests.DeleteAsync(repository, reference, cancellationToken))
        {
            await ManifestUnknownAsync(context, repository, reference);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }

    private static void SetManifestHeaders(HttpResponse response, Digest digest, string mediaType, long size)
    {
        response.ContentType = mediaType;
        response.ContentLength = size;
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        response.Headers.ETag = $"\"{digest}\"";
    }

    private static async Task<bool> CheckReferenceAsync(HttpContext context, string reference)
    {
        if (IsValidReference(reference))
        {
            return true;
        }

        await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, reference.Contains(':', StringComparison.Ordinal) ? OciError.DigestInvalid : OciError.TagInvalid, $"'{reference}' is neither a valid tag nor a sha256/sha512 digest");
        return false;
    }

    private static bool IsValidReference(string reference) =>
        reference.Contains(':', StringComparison.Ordinal) ? Digest.TryParse(reference, out _) : Names.IsValidTag(reference);

    private static Task ManifestUnknownAsync(HttpContext context, string repository, string reference) =>
        OciError.WriteAsync(context, StatusCodes.Status404NotFound, OciError.ManifestUnknown, $"manifest '{reference}' is not in {repository}");

    private static Task TooLargeAsync(HttpContext context, int limit) =>
        OciError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, OciError.SizeInvalid, $"manifest is larger than the limit of {limit.ToString(CultureInfo.InvariantCulture)} bytes (registry.maxManifestBytes)");

    /// <summary>Reads the whole body when it is at most <paramref name="limit"/> bytes; null when longer.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        await using var bounded = new BoundedReadStream(body, limit);
        using var buffer = new MemoryStream();
        await bounded.CopyToAsync(buffer, cancellationToken);
        return bounded.Exceeded ? null : buffer.ToArray();
    }
}
