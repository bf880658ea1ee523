using System.Globalization;
using Berth.Auth;
using Berth.Federation.IdentityProviders;
using Berth.Registry.Blobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>PUT /api/v1/identity-providers/{name}/jwks</c>: key sync. Not behind the admin filter: the caller
/// is a workload of that identity provider (a CronJob in the cluster with its own service-account token),
/// authenticated by <see cref="KeySync"/>. Answers 401 with the token's reason code, 403 for another
/// issuer's token or one without <c>jwks-sync</c>, 400 for an unusable key set, 413 past 64 KiB, 429 with
/// <c>Retry-After</c> past the token endpoint's rate limits.
/// </summary>
internal static class KeySyncApi
{
    public const string Path = AdminApi.Prefix + "/identity-providers/{name}/jwks";

    public static IEndpointRouteBuilder MapKeySyncApi(this IEndpointRouteBuilder app)
    {
        // Any content type: the body is read as JSON whatever a client (curl sends form-urlencoded) labels it.
        app.MapPut(Path, SyncAsync).WithTags("identity-providers")
            .WithSummary("Key sync: replace this provider's static JWKS, proved by a token of this provider (Authorization: Bearer) matching a robot with jwks-sync; the body is the new JWKS");
        return app;
    }

    private static async Task<Results<Ok<KeySyncView>, JsonHttpResult<KeySyncError>>> SyncAsync(string name, HttpContext context, KeySync keySync)
    {
        var cancellationToken = context.RequestAborted;
        await using var bounded = new BoundedReadStream(context.Request.Body, SyncedKeySet.MaxBytes);
        using var reader = new StreamReader(bounded);
        var jwks = await reader.ReadToEndAsync(cancellationToken);
        if (bounded.Exceeded)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"the JWKS is larger than {SyncedKeySet.MaxBytes} bytes", null);
        }

        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var result = await keySync.SyncAsync(name, token, jwks, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (result.Outcome == KeySyncOutcome.Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"berth-key-sync\"";
        }

        if (result.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return result.Outcome switch
        {
            KeySyncOutcome.Synced => TypedResults.Ok(new KeySyncView(name, result.Kids!, result.SyncedAt!.Value)),
            KeySyncOutcome.Unauthorized => Error(StatusCodes.Status401Unauthorized, result.Message, result.Reason),
            KeySyncOutcome.Forbidden => Error(StatusCodes.Status403Forbidden, result.Message, null),
            KeySyncOutcome.NotFound => Error(StatusCodes.Status404NotFound, result.Message, null),
            KeySyncOutcome.Conflict => Error(StatusCodes.Status409Conflict, result.Message, null),
            KeySyncOutcome.RateLimited => Error(StatusCodes.Status429TooManyRequests, result.Message, result.Reason),
            _ => Error(StatusCodes.Status400BadRequest, result.Message, null),
        };
    }

    private static JsonHttpResult<KeySyncError> Error(int status, string message, string? reason) =>
        TypedResults.Json(new KeySyncError([message], reason), JsonDefaults.Options, statusCode: status);
}

/// <param name="Kids">The kids of the keys the provider trusts from now on.</param>
internal sealed record KeySyncView(string IdentityProvider, IReadOnlyList<string> Kids, DateTimeOffset SyncedAt);

/// <param name="Reason">When the token was refused: its reason code, e.g. <c>unknown_key</c> or <c>token_expired</c>.</param>
internal sealed record KeySyncError(IReadOnlyList<string> Errors, string? Reason);
