using Berth.Access.Admin;
using Berth.Auth.Admin;
using Berth.Cli.Admin;
using Berth.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary><c>/api/v1/tokens</c>: admin API tokens. The token is returned once, at creation; only its hash is kept.</summary>
internal static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("tokens");
        tokens.MapGet("/", ListAsync);
        tokens.MapPost("/", CreateAsync);
        tokens.MapDelete("/{name}", RevokeAsync);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<AdminTokenView>>> ListAsync(IAdminCredentialStore store, CancellationToken cancellationToken)
    {
        var tokens = await store.ListAdminTokensAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AdminTokenView>>(tokens.Select(t => new AdminTokenView(t.Name, t.CreatedAt, t.ExpiresAt, null)).ToList());
    }

    private static async Task<Results<Created<AdminTokenView>, BadRequest<AdminErrors>, Conflict<AdminErrors>>> CreateAsync(
        CreateAdminTokenRequest request, IAdminCredentialStore store, BerthSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100 || request.Name.Any(char.IsWhiteSpace))
        {
            return TypedResults.BadRequest(AdminErrors.Of("name: give a token name without spaces, at most 100 characters, e.g. ci-admin"));
        }

        TimeSpan? lifetime = request.Login ? settings.Server.AdminLoginLifetime : null;
        if (request.ExpiresIn is not null)
        {
            if (!DurationText.TryParse(request.ExpiresIn, out var parsed))
            {
                return TypedResults.BadRequest(AdminErrors.Of($"expiresIn: '{request.ExpiresIn}' is not a duration such as 12h or 30d"));
            }

            lifetime = parsed;
        }

        var now = time.GetUtcNow();
        var token = AdminTokens.Generate();
        var record = new AdminTokenRecord(request.Name, AdminTokens.Hash(token), now, now + lifetime);
        if (!await store.CreateAdminTokenAsync(record, cancellationToken))
        {
            return TypedResults.Conflict(AdminErrors.Of($"an admin token named '{request.Name}' exists: revoke it first or choose another name"));
        }

        return TypedResults.Created($"{AdminApi.Prefix}/tokens/{request.Name}", new AdminTokenView(record.Name, record.CreatedAt, record.ExpiresAt, token));
    }

    private static async Task<Results<NoContent, NotFound<AdminErrors>>> RevokeAsync(string name, IAdminCredentialStore store, CancellationToken cancellationToken) =>
        await store.DeleteAdminTokenAsync(name, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound(AdminErrors.Of($"no admin token named '{name}'"));
}

/// <param name="ExpiresIn">A duration such as <c>30d</c>; null: never expires, or for a login <c>server.adminLoginLifetime</c>.</param>
/// <param name="Login">Made by <c>berth login</c>: a session, which ends.</param>
internal sealed record CreateAdminTokenRequest(string Name, string? ExpiresIn, bool Login = false);

/// <param name="Token">Only in the response that creates it.</param>
internal sealed record AdminTokenView(string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string? Token);
