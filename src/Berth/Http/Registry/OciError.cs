using System.Text.Json;

namespace Berth.Http.Registry;

/// <summary>Writes the OCI error body <c>{"errors":[{"code","message","detail"}]}</c> with its status.</summary>
internal static class OciError
{
    public const string BlobUnknown = "BLOB_UNKNOWN";
    public const string BlobUploadInvalid = "BLOB_UPLOAD_INVALID";
    public const string BlobUploadUnknown = "BLOB_UPLOAD_UNKNOWN";
    public const string DigestInvalid = "DIGEST_INVALID";
    public const string ManifestBlobUnknown = "MANIFEST_BLOB_UNKNOWN";
    public const string ManifestInvalid = "MANIFEST_INVALID";
    public const string ManifestUnknown = "MANIFEST_UNKNOWN";
    public const string NameInvalid = "NAME_INVALID";
    public const string NameUnknown = "NAME_UNKNOWN";
    public const string SizeInvalid = "SIZE_INVALID";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Denied = "DENIED";
    public const string Unsupported = "UNSUPPORTED";
    public const string TooManyRequests = "TOOMANYREQUESTS";
    public const string TagInvalid = "TAG_INVALID";
    public const string PaginationNumberInvalid = "PAGINATION_NUMBER_INVALID";

    public static Task WriteAsync(HttpContext context, int status, string code, string message, object? detail = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // HEAD answers carry no body; the status says it all.
            return Task.CompletedTask;
        }

        var body = new ErrorBody([new ErrorItem(code, message, detail)]);
        return JsonSerializer.SerializeAsync(response.Body, body, JsonDefaults.Options, context.RequestAborted);
    }

    private sealed record ErrorBody(IReadOnlyList<ErrorItem> Errors);

    private sealed record ErrorItem(string Code, string Message, object? Detail);
}
