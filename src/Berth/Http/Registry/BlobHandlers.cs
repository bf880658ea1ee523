using Berth.Access.Permissions;
using Berth.Registry;
using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Microsoft.Net.Http.Headers;

namespace Berth.Http.Registry;

/// <summary>GET/HEAD/DELETE of blobs (end-2, end-10).</summary>
internal sealed class BlobHandlers(IBlobStore blobs, IBlobLinkStore links, IRegistryAccessCheck access, BlobRedirects redirects)
{
    public async Task GetAsync(HttpContext context, string repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Pull(repository)], cancellationToken))
        {
            return;
        }

        if (!Digest.TryParse(reference, out var digest))
        {
            await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.DigestInvalid, $"'{reference}' is not a sha256 or sha512 digest");
            return;
        }

        var linked = await links.GetLinkedBlobSizeAsync(repository, digest, cancellationToken) is not null;
        if (linked && redirects.Enabled && blobs is IBlobDownloadUrls urls && HttpMethods.IsGet(context.Request.Method))
        {
            // Authorized and linked, exactly as for a streamed pull; the client fetches the bytes from the
            // store. The link is the proof the blob was committed, so no request to the store is needed here
            // (one HEAD per pull was most of this answer's cost).
            context.Response.Headers["Docker-Content-Digest"] = digest.ToString();
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = (await urls.GetDownloadUriAsync(digest, redirects.Lifetime, cancellationToken)).AbsoluteUri;
            return;
        }

        var content = linked ? await blobs.GetAsync(digest, cancellationToken) : null;
        if (content is null)
        {
            await OciError.WriteAsync(context, StatusCodes.Status404NotFound, OciError.BlobUnknown, $"blob {digest} is not in {repository}", new { digest = digest.ToString() });
            return;
        }

        var headers = context.Response.Headers;
        headers["Docker-Content-Digest"] = digest.ToString();
        headers.CacheControl = "max-age=31536000, immutable";
        var request = context.Request;
        if (content.LocalPath is { } local && HttpMethods.IsGet(request.Method) && request.Headers.Range.Count == 0 && request.Headers.IfNoneMatch.Count == 0)
        {
            headers.AcceptRanges = "bytes";
            headers.ETag = $"\"{digest}\"";
            await BlobSender.SendAsync(context.Response, local, content.Size, cancellationToken);
            RegistryMetrics.Pulled.Add(content.Size, RegistryMetrics.Kind("blob"));
            return;
        }

        var result = content.LocalPath is { } path
            ? Results.File(path, "application/octet-stream", entityTag: new EntityTagHeaderValue($"\"{digest}\""), enableRangeProcessing: true)
            : Results.File(await content.OpenAsync(cancellationToken), "application/octet-stream", entityTag: new EntityTagHeaderValue($"\"{digest}\""), enableRangeProcessing: true);
        await result.ExecuteAsync(context);
        if (HttpMethods.IsGet(request.Method) && context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status206PartialContent)
        {
            // A range request counts the bytes of its range (the framework set the length it sent).
            RegistryMetrics.Pulled.Add(context.Response.ContentLength ?? 0, RegistryMetrics.Kind("blob"));
        }
    }

    public async Task DeleteAsync(HttpContext context, string repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Delete(repository)], cancellationToken))
        {
            return;
        }

        if (!Digest.TryParse(reference, out var digest))
        {
            await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.DigestInvalid, $"'{reference}' is not a sha256 or sha512 digest");
            return;
        }

        // Only the link goes: the bytes may be shared with other repositories and are left to garbage collection.
        if (!await links.UnlinkBlobAsync(repository, digest, cancellationToken))
        {
            await OciError.WriteAsync(context, StatusCodes.Status404NotFound, OciError.BlobUnknown, $"blob {digest} is not in {repository}");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }
}
