using Berth.Auth;
using Berth.Federation.IdentityProviders;
using Berth.Registry.Blobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>PUT /api/v1/identity-providers/{name}/jwks</c>: key sync. Not behind the admin filter: the caller
/// is a workload of that identity provider (a CronJob in the cluster with its own service-account token),
/// authenticated by <see cref="KeySync"/>. Answers 401 with the token's reason code, 403 for another
/// issuer's token or one without <c>jwks-sync</c>, 400 for an unusable key set, 413 past 64 KiB.
/// </summary>
internal static class KeySyncApi
{
    public const string Path = AdminApi.Prefix + "/identity-providers/{name}/jwks";

    public static IEndpointRouteBuilder MapKeySyncApi(this IEndpointRouteBuilder app)
    {
        app.MapPut(Path, SyncAsync).WithTags("identity-providers").Accepts<object>("application/json");
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

        return result.Outcome switch
        {
            KeySyncOutcome.Synced => TypedResults.Ok(new KeySyncView(name, result.Kids!, result.SyncedAt!.Value)),
            KeySyncOutcome.Unauthorized => Error(StatusCodes.Status401Unauthorized, result.Message, result.Reason),
            KeySyncOutcome.Forbidden => Error(StatusCodes.Status403Forbidden, result.Message, null),
            KeySyncOutcome.NotFound => Error(StatusCodes.Status404NotFound, result.Message, null),
            KeySyncOutcome.Conflict => Error(StatusCodes.Status409Conflict, result.Message, null),
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
