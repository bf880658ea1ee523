using System.Globalization;
using System.Text.Json;
using Berth.Data;
using Berth.Http.Registry;
using Berth.Registry.Blobs;

namespace Berth.Http;

/// <summary>
/// Turns the two faults of the stores that a client can do something about into clear answers instead of
/// a bare 500: the metadata database unreachable (PostgreSQL restarting, connections cut) becomes
/// <c>503</c> with <c>Retry-After</c>, and a full blob file system becomes <c>507</c>. The body is the OCI
/// error list under <c>/v2</c> and the token service, and <c>{"errors":[…]}</c> elsewhere (admin API,
/// console), as their other refusals are.
/// </summary>
/// <remarks>
/// Nothing is left half-done to answer for: each metadata write is one statement or one transaction
/// (rolled back when its connection dies), and an upload that hit a full disk has already dropped its
/// staged bytes (<see cref="Berth.Registry.Uploads.BlobUploadService"/>). A response already under way
/// cannot change its status; then the exception goes on and the connection is cut, as before.
/// </remarks>
internal sealed partial class StoreFaultAnswers(RequestDelegate next, ILogger<StoreFaultAnswers> logger)
{
    /// <summary>A PostgreSQL restart takes seconds; clients that honour the header come back after it.</summary>
    private const int RetryAfterSeconds = 5;

    private const string DatabaseUnavailable = "the registry's metadata database is unavailable right now (restarting or unreachable); nothing was changed by this request, retry shortly";

    private const string StorageIsFull = "the registry's storage is full: nothing of this request was kept (an upload is discarded with its staged bytes); push again once an administrator has freed space";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && MetadataStoreFaults.IsUnavailable(e) && !MetadataStoreFaults.IsFull(e))
        {
            DatabaseFault(logger, context.Request.Method, context.Request.Path.Value ?? "/", Describe(e));
            context.Response.Clear();
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", DatabaseUnavailable);
        }
        catch (Exception e) when (!context.Response.HasStarted && (StorageFull.Is(e) || MetadataStoreFaults.IsFull(e)))
        {
            StorageFault(logger, context.Request.Method, context.Request.Path.Value ?? "/", e.Message);
            context.Response.Clear();
            var code = context.Request.Path.Value?.Contains("/blobs/uploads", StringComparison.Ordinal) == true ? OciError.BlobUploadInvalid : "UNAVAILABLE";
            await WriteAsync(context, StatusCodes.Status507InsufficientStorage, code, StorageIsFull);
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/v2") || path.StartsWithSegments("/service"))
        {
            return OciError.WriteAsync(context, status, code, message);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new { errors = new[] { message } }, JsonDefaults.Options, context.RequestAborted);
    }

    /// <summary>The exception's own messages (no stack): enough to tell a refused connection from a shutdown.</summary>
    private static string Describe(Exception e) =>
        e.InnerException is null ? e.Message : $"{e.Message} → {e.InnerException.Message}";

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the metadata database is unavailable: {Error}")]
    private static partial void DatabaseFault(ILogger logger, string method, string path, string error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Method} {Path} answered 507: the blob storage is full: {Error}")]
    private static partial void StorageFault(ILogger logger, string method, string path, string error);
}
