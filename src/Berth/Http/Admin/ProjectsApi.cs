using Berth.Auth;
using Berth.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary><c>/api/v1/projects</c>: the first path component of repository names; public ones allow anonymous pull.</summary>
internal static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("projects");
        projects.MapGet("/", List);
        projects.MapGet("/{name}", Show);
        projects.MapPost("/", CreateAsync);
        projects.MapPut("/{name}", UpdateAsync);
        projects.MapDelete("/{name}", DeleteAsync);
        return api;
    }

    private static Ok<IReadOnlyList<ProjectView>> List(FederationState state)
    {
        var snapshot = state.Current;
        return TypedResults.Ok<IReadOnlyList<ProjectView>>(snapshot.Model.Projects.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => View(snapshot, p.Key)).ToList());
    }

    private static Results<Ok<ProjectView>, NotFound<AdminErrors>> Show(string name, FederationState state)
    {
        var snapshot = state.Current;
        return snapshot.Model.Projects.ContainsKey(name)
            ? TypedResults.Ok(View(snapshot, name))
            : TypedResults.NotFound(AdminErrors.Of($"project '{name}' does not exist"));
    }

    private static async Task<Results<Created<ProjectView>, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> CreateAsync(
        ProjectSettings request, FederationState state, CancellationToken cancellationToken)
    {
        var change = await state.PutAsync(ObjectKinds.Project, request.Name, new ProjectSettings { Name = request.Name, Public = request.Public }, create: true, cancellationToken);
        return change.Outcome == FederationChangeOutcome.Applied
            ? TypedResults.Created($"{AdminApi.Prefix}/projects/{request.Name}", View(state.Current, request.Name))
            : AdminErrors.Refusal<Created<ProjectView>>(change);
    }

    /// <summary>Sets the public flag; the name in the body, if any, is ignored.</summary>
    private static async Task<Results<Ok<ProjectView>, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> UpdateAsync(
        string name, ProjectSettings request, FederationState state, CancellationToken cancellationToken)
    {
        var change = await state.PutAsync(ObjectKinds.Project, name, new ProjectSettings { Name = name, Public = request.Public }, create: false, cancellationToken);
        return change.Outcome == FederationChangeOutcome.Applied
            ? TypedResults.Ok(View(state.Current, name))
            : AdminErrors.Refusal<Ok<ProjectView>>(change);
    }

    private static async Task<Results<NoContent, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> DeleteAsync(
        string name, FederationState state, CancellationToken cancellationToken)
    {
        var change = await state.DeleteAsync(ObjectKinds.Project, name, cancellationToken);
        return change.Outcome == FederationChangeOutcome.Applied ? TypedResults.NoContent() : AdminErrors.Refusal<NoContent>(change);
    }

    private static ProjectView View(FederationSnapshot snapshot, string name) =>
        new(name, snapshot.Model.Projects[name], FederationSnapshot.ManagedBy(snapshot.Config.Projects.Contains(name)));
}

internal sealed record ProjectView(string Name, bool Public, string ManagedBy);
