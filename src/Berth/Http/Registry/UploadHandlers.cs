using System.Globalization;
using System.Runtime.CompilerServices;
using Berth.Access.Permissions;
using Berth.Registry.Content;
using Berth.Registry.Uploads;

namespace Berth.Http.Registry;

/// <summary>Blob uploads: sessions, chunks, monolithic and streamed uploads, mounts (end-4 … end-6, end-11, end-13).</summary>
internal sealed class UploadHandlers(BlobUploadService uploads, IRegistryAccessCheck access)
{
    public async Task StartAsync(HttpContext context, string repository)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Pull(repository), AccessRequirement.Push(repository)], cancellationToken))
        {
            return;
        }

        var query = context.Request.Query;
        string? mount = query["mount"];
        if (mount is not null)
        {
            if (!Digest.TryParse(mount, out var mountDigest))
            {
                await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.DigestInvalid, $"mount '{mount}' is not a sha256 or sha512 digest");
                return;
            }

            string? from = query["from"];
            if (Names.IsValidRepository(from)
                && await access.IsGrantedAsync(context, AccessRequirement.Pull(from), cancellationToken)
                && await uploads.MountAsync(repository, mountDigest, from, cancellationToken))
            {
                WriteBlobCreated(context, repository, mountDigest);
                return;
            }

            // Not mountable from there (or not readable by the caller): fall back to a plain upload session.
        }

        string? digestParameter = query["digest"];
        if (digestParameter is not null)
        {
            if (!Digest.TryParse(digestParameter, out var digest))
            {
                await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.DigestInvalid, $"'{digestParameter}' is not a sha256 or sha512 digest");
                return;
            }

            var pushed = await uploads.PushAsync(repository, digest, context.Request.Body, cancellationToken);
            await WriteCompletionAsync(context, repository, pushed);
            return;
        }

        var session = await uploads.StartAsync(repository, cancellationToken);
        WriteProgress(context, repository, session.Id, session.Size, StatusCodes.Status202Accepted);
    }

    public async Task PatchAsync(HttpContext context, string repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Pull(repository), AccessRequirement.Push(repository)], cancellationToken)
            || await ParseUploadAsync(context, reference) is not { } upload
            || await ParseRangeAsync(context) is not { } range)
        {
            return;
        }

        var result = await uploads.AppendAsync(repository, upload, range.Value?.Start, range.Value?.End, context.Request.Body, cancellationToken);
        await WriteAppendResultAsync(context, repository, result);
    }

    public async Task PutAsync(HttpContext context, string repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Pull(repository), AccessRequirement.Push(repository)], cancellationToken)
            || await ParseUploadAsync(context, reference) is not { } upload
            || await ParseRangeAsync(context) is not { } range)
        {
            return;
        }

        string? digestParameter = context.Request.Query["digest"];
        if (!Digest.TryParse(digestParameter, out var digest))
        {
            await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.DigestInvalid, $"closing an upload needs ?digest= with a sha256 or sha512 digest, got '{digestParameter}'");
            return;
        }

        var request = context.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        var result = await uploads.CompleteAsync(repository, upload, digest, range.Value?.Start, range.Value?.End, hasBody ? request.Body : null, cancellationToken);
        if (result.Outcome == UploadOutcome.Completed)
        {
            await WriteCompletionAsync(context, repository, result);
            return;
        }

        await WriteAppendResultAsync(context, repository, result);
    }

    public async Task StatusAsync(HttpContext context, string repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Pull(repository), AccessRequirement.Push(repository)], cancellationToken)
            || await ParseUploadAsync(context, reference) is not { } upload)
        {
            return;
        }

        var session = await uploads.FindAsync(repository, upload, cancellationToken);
        if (session is null)
        {
            await UnknownUploadAsync(context, reference);
            return;
        }

        WriteProgress(context, repository, session.Id, session.Size, StatusCodes.Status204NoContent);
    }

    public async Task CancelAsync(HttpContext context, string repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Pull(repository), AccessRequirement.Push(repository)], cancellationToken)
            || await ParseUploadAsync(context, reference) is not { } upload)
        {
            return;
        }

        if (!await uploads.CancelAsync(repository, upload, cancellationToken))
        {
            await UnknownUploadAsync(context, reference);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task WriteAppendResultAsync(HttpContext context, string repository, UploadResult result)
    {
        switch (result.Outcome)
        {
            case UploadOutcome.Accepted:
                WriteProgress(context, repository, result.Upload, result.Size, StatusCodes.Status202Accepted);
                break;
            case UploadOutcome.UnknownUpload:
                await UnknownUploadAsync(context, result.Upload.ToString("N"));
                break;
            case UploadOutcome.RangeNotSatisfiable:
                SetProgressHeaders(context, repository, result.Upload, result.Size);
                await OciError.WriteAsync(context, StatusCodes.Status416RangeNotSatisfiable, OciError.BlobUploadInvalid, $"chunk must start at byte {result.Size.ToString(CultureInfo.InvariantCulture)}, the current end of the upload");
                break;
            case UploadOutcome.SizeMismatch:
                SetProgressHeaders(context, repository, result.Upload, result.Size);
                await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.BlobUploadInvalid, "the chunk's length does not match its Content-Range; the upload stays where it was");
                break;
            case UploadOutcome.DigestMismatch:
                await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.DigestInvalid, $"uploaded content has digest {result.Digest}, not the one given; the upload was discarded");
                break;
            default:
                throw new InvalidOperationException($"unexpected upload outcome {result.Outcome}");
        }
    }

    private static Task WriteCompletionAsync(HttpContext context, string repository, UploadResult result)
    {
        if (result.Outcome == UploadOutcome.DigestMismatch)
        {
            return OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.DigestInvalid, $"uploaded content has digest {result.Digest}, not the one given; nothing was stored");
        }

        WriteBlobCreated(context, repository, result.Digest!.Value);
        return Task.CompletedTask;
    }

    private static void WriteBlobCreated(HttpContext context, string repository, Digest digest)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = $"/v2/{repository}/blobs/{digest}";
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        response.ContentLength = 0;
    }

    private static void WriteProgress(HttpContext context, string repository, Guid upload, long size, int status)
    {
        context.Response.StatusCode = status;
        SetProgressHeaders(context, repository, upload, size);
        context.Response.ContentLength = 0;
    }

    private static void SetProgressHeaders(HttpContext context, string repository, Guid upload, long size)
    {
        var id = upload.ToString("N");
        var headers = context.Response.Headers;
        headers.Location = $"/v2/{repository}/blobs/uploads/{id}";
        headers["Docker-Upload-UUID"] = id;
        // As the reference registry: inclusive end of what is stored, "0-0" while empty.
        headers["Range"] = $"0-{Math.Max(size - 1, 0).ToString(CultureInfo.InvariantCulture)}";
    }

    private static async Task<Guid?> ParseUploadAsync(HttpContext context, string reference)
    {
        if (Guid.TryParseExact(reference, "N", out var upload))
        {
            return upload;
        }

        await UnknownUploadAsync(context, reference);
        return null;
    }

    /// <summary>A box around the optional range, so "absent" and "invalid" differ.</summary>
    private static async Task<StrongBox<ContentRange?>?> ParseRangeAsync(HttpContext context)
    {
        if (ContentRange.TryParse(context.Request.Headers.ContentRange, out var range))
        {
            return new StrongBox<ContentRange?>(range);
        }

        await OciError.WriteAsync(context, StatusCodes.Status416RangeNotSatisfiable, OciError.BlobUploadInvalid, $"Content-Range '{context.Request.Headers.ContentRange}' must be START-END, e.g. 0-1048575");
        return null;
    }

    private static Task UnknownUploadAsync(HttpContext context, string reference) =>
        OciError.WriteAsync(context, StatusCodes.Status404NotFound, OciError.BlobUploadUnknown, $"upload '{reference}' is unknown, finished, cancelled or expired");
}
