using Berth.Auth;
using Berth.Federation.IdentityProviders;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary><c>/api/v1/identity-providers</c>: trusted issuers of workload tokens, with their key caches' health.</summary>
internal static class IdentityProvidersApi
{
    public static RouteGroupBuilder MapIdentityProvidersApi(this RouteGroupBuilder api)
    {
        var idps = api.MapGroup("/identity-providers").WithTags("identity-providers");
        idps.MapGet("/", List);
        idps.MapGet("/{name}", Show);
        idps.MapPost("/", CreateAsync);
        idps.MapPut("/{name}", UpdateAsync);
        idps.MapDelete("/{name}", DeleteAsync);
        idps.MapPost("/{name}/refresh", RefreshAsync);
        idps.MapDelete("/{name}/jwks", RemoveSyncedKeysAsync);
        return api;
    }

    private static Ok<IReadOnlyList<IdentityProviderView>> List(FederationState state)
    {
        var snapshot = state.Current;
        return TypedResults.Ok<IReadOnlyList<IdentityProviderView>>(snapshot.Model.IdentityProviders.Select(p => View(snapshot, p)).ToList());
    }

    private static Results<Ok<IdentityProviderView>, NotFound<AdminErrors>> Show(string name, FederationState state)
    {
        var snapshot = state.Current;
        return snapshot.Model.IdentityProviders.FirstOrDefault(p => p.Name == name) is { } provider
            ? TypedResults.Ok(View(snapshot, provider))
            : TypedResults.NotFound(AdminErrors.Of($"identity provider '{name}' does not exist"));
    }

    private static async Task<Results<Created<IdentityProviderView>, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> CreateAsync(
        IdentityProviderCreateRequest request, FederationState state, CancellationToken cancellationToken)
    {
        var change = await state.PutAsync(ObjectKinds.IdentityProvider, request.Name, request.ToSettings(request.Name), create: true, cancellationToken);
        if (change.Outcome != FederationChangeOutcome.Applied)
        {
            return AdminErrors.Refusal<Created<IdentityProviderView>>(change);
        }

        var snapshot = state.Current;
        var provider = snapshot.Model.IdentityProviders.First(p => p.Name == request.Name);
        return TypedResults.Created($"{AdminApi.Prefix}/identity-providers/{request.Name}", View(snapshot, provider));
    }

    /// <summary>Replaces an API-managed provider (audiences, key source, limits); the name in the path wins.</summary>
    private static async Task<Results<Ok<IdentityProviderView>, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> UpdateAsync(
        string name, IdentityProviderUpdateRequest request, FederationState state, CancellationToken cancellationToken)
    {
        var change = await state.PutAsync(ObjectKinds.IdentityProvider, name, request.ToSettings(name), create: false, cancellationToken);
        if (change.Outcome != FederationChangeOutcome.Applied)
        {
            return AdminErrors.Refusal<Ok<IdentityProviderView>>(change);
        }

        var snapshot = state.Current;
        return TypedResults.Ok(View(snapshot, snapshot.Model.IdentityProviders.First(p => p.Name == name)));
    }

    private static async Task<Results<NoContent, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> DeleteAsync(
        string name, FederationState state, CancellationToken cancellationToken)
    {
        var change = await state.DeleteAsync(ObjectKinds.IdentityProvider, name, cancellationToken);
        return change.Outcome == FederationChangeOutcome.Applied ? TypedResults.NoContent() : AdminErrors.Refusal<NoContent>(change);
    }

    private static async Task<Results<Ok<IdentityProviderView>, NotFound<AdminErrors>>> RefreshAsync(string name, FederationState state, CancellationToken cancellationToken)
    {
        var snapshot = state.Current;
        if (snapshot.Model.IdentityProviders.FirstOrDefault(p => p.Name == name) is not { } provider)
        {
            return TypedResults.NotFound(AdminErrors.Of($"identity provider '{name}' does not exist"));
        }

        // Only this provider's keys; a failure shows in the health rather than as an error.
        await snapshot.Validator.RefreshKeysAsync(name, cancellationToken);
        return TypedResults.Ok(View(snapshot, provider));
    }

    /// <summary>Drops keys sent by key sync: the provider's configured static JWKS applies again.</summary>
    private static async Task<Results<NoContent, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> RemoveSyncedKeysAsync(
        string name, FederationState state, CancellationToken cancellationToken)
    {
        var change = await state.RemoveSyncedKeysAsync(name, cancellationToken);
        return change.Outcome == FederationChangeOutcome.Applied ? TypedResults.NoContent() : AdminErrors.Refusal<NoContent>(change);
    }

    private static IdentityProviderView View(FederationSnapshot snapshot, IdentityProviderOptions provider) => new(
        provider.Name,
        provider.Issuer,
        provider.Audiences,
        snapshot.Api.SyncedKeys.TryGetValue(provider.Name, out var synced) ? $"synced jwks ({synced.SyncedAt:O} by {synced.Subject})"
            : provider.EffectiveDiscoveryUrl is { } discovery ? $"discovery {discovery}" : provider.JwksUrl is { } url ? $"jwks-url {url}" : provider.JwksFile is { } file ? $"jwks-file {file}" : "static jwks",
        provider.AllowInsecureHttp,
        FederationSnapshot.ManagedBy(snapshot.Config.IdentityProviders.Contains(provider.Name)),
        snapshot.Validator.KeyHealth().FirstOrDefault(h => h.IdentityProvider == provider.Name),
        provider.Jwks);
}
