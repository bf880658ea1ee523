using System.Buffers;
using System.Globalization;
using Berth.Auth;
using Berth.Http.Registry;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Http.Token;

/// <summary>
/// The Docker token service: <c>GET /service/token</c> (Basic auth; docker, podman, skopeo, crane,
/// oras), the OAuth2 form <c>POST /service/token</c> (containerd, BuildKit), and the registry's
/// public keys at <c>/service/jwks.json</c>.
/// </summary>
internal static class TokenApi
{
    /// <summary>A token form is a few kilobytes; anything near this is not one.</summary>
    private const long MaxFormBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(TokenServiceNames.TokenPath, GetAsync);
        app.MapPost(TokenServiceNames.TokenPath, PostAsync);
        app.MapGet("/service/jwks.json", (RegistryTokens tokens) => Results.Text(tokens.JwksJson, "application/json"));
        return app;
    }

    private static async Task GetAsync(HttpContext context, TokenService service)
    {
        var query = context.Request.Query;
        BasicCredentials.TryParse(context.Request.Headers.Authorization, out var username, out var password);
        var request = new TokenRequest(
            username ?? query["account"],
            password,
            null,
            query["scope"],
            string.Equals(query["offline_token"], "true", StringComparison.OrdinalIgnoreCase),
            ClientIp(context));
        await RespondAsync(context, service, request, oauth: false);
    }

    private static async Task PostAsync(HttpContext context, TokenService service)
    {
        if (!context.Request.HasFormContentType)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "POST a form (application/x-www-form-urlencoded) with grant_type, or use GET with Basic auth");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFormBytes;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "the token form is malformed or too large");
            return;
        }

        string? grantType = form["grant_type"];
        BasicCredentials.TryParse(context.Request.Headers.Authorization, out var basicUser, out var basicPassword);
        TokenRequest request;
        switch (grantType)
        {
            case "password":
                request = new TokenRequest(form["username"].FirstOrDefault() ?? basicUser, form["password"].FirstOrDefault() ?? basicPassword, null, form["scope"].ToArray(), IsOffline(form), ClientIp(context));
                if (request.Password is null)
                {
                    await RefuseAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "grant_type=password needs a password: the workload token or robot secret");
                    return;
                }

                break;
            case "refresh_token":
                string? refresh = form["refresh_token"];
                if (string.IsNullOrEmpty(refresh))
                {
                    await RefuseAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "grant_type=refresh_token needs refresh_token");
                    return;
                }

                request = new TokenRequest(null, null, refresh, form["scope"].ToArray(), IsOffline(form), ClientIp(context));
                break;
            default:
                await RefuseAsync(context, StatusCodes.Status400BadRequest, "unsupported_grant_type", $"grant_type '{grantType}' is not supported: use password or refresh_token");
                return;
        }

        await RespondAsync(context, service, request, oauth: true);
    }

    private static async Task RespondAsync(HttpContext context, TokenService service, TokenRequest request, bool oauth)
    {
        var result = await service.IssueAsync(request, context.RequestAborted);
        RequestActor.SetRobots(context, result.Robots);
        if (result.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, result.Reason!, result.Message!);
            return;
        }

        if (!result.Issued)
        {
            var status = result.Reason == "invalid_scope" ? StatusCodes.Status400BadRequest : StatusCodes.Status401Unauthorized;
            await RefuseAsync(context, status, result.Reason!, result.Message!);
            return;
        }

        // Sent with a Content-Length in one write (TokenResponseJson says why), copied out before any await.
        var response = context.Response;
        var body = TokenResponseJson.Write(result, oauth);
        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        response.BodyWriter.Write(body);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// A refusal both families of clients understand: the registry error list (docker prints its
    /// message) and the OAuth2 <c>error</c> fields. The message is the reason, never rule details.
    /// </summary>
    private static Task RefuseAsync(HttpContext context, int status, string reason, string message)
    {
        var text = reason == AuthResult.NoRobotMatched ? message : $"{reason}: {message}";
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        var code = status switch
        {
            StatusCodes.Status401Unauthorized => OciError.Unauthorized,
            StatusCodes.Status429TooManyRequests => OciError.TooManyRequests,
            _ => OciError.Denied,
        };
        var body = new TokenRefusal([new TokenRefusalItem(code, text, new { reason })], reason, text);
        return response.WriteAsJsonAsync(body, JsonDefaults.Options, context.RequestAborted);
    }

    private static bool IsOffline(IFormCollection form) => string.Equals(form["access_type"], "offline", StringComparison.OrdinalIgnoreCase);

    private static string? ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    private sealed record TokenRefusal(
        IReadOnlyList<TokenRefusalItem> Errors,
        string Error,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string ErrorDescription);

    private sealed record TokenRefusalItem(string Code, string Message, object Detail);
}
