using Berth.Auth;
using Berth.Registry.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>GET /api/v1/public/repositories</c>, anonymous and read-only: the repositories and tags of the
/// projects marked <c>public</c>, which anyone may pull already, so the console can show them without a
/// sign-in. Private projects are left out entirely (not even their names), and nothing else is said: no
/// robots, identity providers, audit or digests. Each call spends one unit of the token endpoint's
/// per-client-IP budget (<c>tokens.rateLimitPerClientIp</c>), as an anonymous token request does.
/// Not part of the admin group: it carries no <see cref="AdminOnly"/> metadata.
/// </summary>
internal static class PublicRepositoriesApi
{
    public const string Path = AdminApi.Prefix + "/public/repositories";
    private const int MaxRepositories = 100;
    private const int MaxTags = 100;

    public static IEndpointRouteBuilder MapPublicRepositoriesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ListAsync).WithTags("public");
        return app;
    }

    private static async Task<Results<Ok<PublicRepositories>, JsonHttpResult<AdminErrors>>> ListAsync(
        HttpContext context, FederationState state, TokenRateLimits limits, IRepositoryStore repositories, IManifestStore manifests, CancellationToken cancellationToken)
    {
        if (limits.CheckClientIp(context.Connection.RemoteIpAddress?.ToString()) is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Json(AdminErrors.Of("too many requests from this address: wait and retry"), JsonDefaults.Options, statusCode: StatusCodes.Status429TooManyRequests);
        }

        var projects = new List<PublicProject>();
        foreach (var project in state.Current.Model.Projects.Where(p => p.Value).Select(p => p.Key).Order(StringComparer.Ordinal))
        {
            // Names are in ordinal order, so the project's repositories follow "project/" directly.
            var prefix = project + "/";
            var names = (await repositories.ListRepositoriesAsync(prefix, MaxRepositories, cancellationToken))
                .TakeWhile(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            var list = new List<PublicRepository>();
            foreach (var name in names)
            {
                list.Add(new PublicRepository(name, await manifests.ListTagsAsync(name, null, MaxTags, cancellationToken)));
            }

            projects.Add(new PublicProject(project, list, names.Count == MaxRepositories));
        }

        return TypedResults.Ok(new PublicRepositories(projects));
    }
}

internal sealed record PublicRepositories(IReadOnlyList<PublicProject> Projects);

/// <param name="Truncated">The project has more repositories than listed (100).</param>
internal sealed record PublicProject(string Name, IReadOnlyList<PublicRepository> Repositories, bool Truncated);

/// <param name="Tags">The first 100 tags in ordinal order.</param>
internal sealed record PublicRepository(string Name, IReadOnlyList<string> Tags);
