using Berth.Auth;
using Berth.Configuration;
using Berth.Registry.Metadata;
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
        ProjectCreateRequest request, FederationState state, CancellationToken cancellationToken)
    {
        var change = await state.PutAsync(ObjectKinds.Project, request.Name, new ProjectSettings { Name = request.Name, Public = request.Public }, create: true, cancellationToken);
        return change.Outcome == FederationChangeOutcome.Applied
            ? TypedResults.Created($"{AdminApi.Prefix}/projects/{request.Name}", View(state.Current, request.Name))
            : AdminErrors.Refusal<Created<ProjectView>>(change);
    }

    /// <summary>Sets the public flag.</summary>
    private static async Task<Results<Ok<ProjectView>, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> UpdateAsync(
        string name, ProjectUpdateRequest request, FederationState state, CancellationToken cancellationToken)
    {
        var change = await state.PutAsync(ObjectKinds.Project, name, new ProjectSettings { Name = name, Public = request.Public }, create: false, cancellationToken);
        return change.Outcome == FederationChangeOutcome.Applied
            ? TypedResults.Ok(View(state.Current, name))
            : AdminErrors.Refusal<Ok<ProjectView>>(change);
    }

    /// <summary>Refused while the project holds repositories: deleting it would leave images nobody may pull.</summary>
    private static async Task<Results<NoContent, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>>> DeleteAsync(
        string name, FederationState state, IRepositoryStore repositories, IManifestStore manifests, CancellationToken cancellationToken)
    {
        if (state.Current.Model.Projects.ContainsKey(name) && await FirstTaggedRepositoryAsync(repositories, manifests, name, cancellationToken) is { } repository)
        {
            return TypedResults.Conflict(AdminErrors.Of(
                $"project '{name}' is not empty: repository '{repository}' has tags; delete every tag in the project first"));
        }

        var change = await state.DeleteAsync(ObjectKinds.Project, name, cancellationToken);
        return change.Outcome == FederationChangeOutcome.Applied ? TypedResults.NoContent() : AdminErrors.Refusal<NoContent>(change);
    }

    /// <summary>
    /// A repository of the project that still has a tag. Repository rows outlive their tags, so a repository
    /// whose tags were all deleted does not count: its untagged content is garbage collection's.
    /// </summary>
    private static async Task<string?> FirstTaggedRepositoryAsync(IRepositoryStore repositories, IManifestStore manifests, string project, CancellationToken cancellationToken)
    {
        // Names sort ordinally, so the project's repositories are the run of names after "project/".
        var prefix = project + "/";
        var after = prefix;
        while (true)
        {
            var page = await repositories.ListRepositoriesAsync(after, 100, cancellationToken);
            foreach (var repository in page)
            {
                if (!repository.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return null;
                }

                if ((await manifests.ListTagsAsync(repository, null, 1, cancellationToken)).Count > 0)
                {
                    return repository;
                }
            }

            if (page.Count < 100)
            {
                return null;
            }

            after = page[^1];
        }
    }

    private static ProjectView View(FederationSnapshot snapshot, string name) =>
        new(name, snapshot.Model.Projects[name], FederationSnapshot.ManagedBy(snapshot.Config.Projects.Contains(name)));
}
