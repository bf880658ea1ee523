namespace Berth.Http;

/// <summary>
/// Who acted in a request, for the request log: <c>robot:NAME</c> (comma-separated when several robots
/// matched), <c>admin:NAME</c>, or a classic subject; set by whichever step authenticated the caller. Never a token.
/// </summary>
internal static class RequestActor
{
    private const string Key = "berth.actor";

    public static void SetRobots(HttpContext context, IReadOnlyList<string> robots)
    {
        if (robots.Count > 0)
        {
            context.Items[Key] = string.Join(',', robots.Select(robot => "robot:" + robot));
        }
    }

    public static void SetAdmin(HttpContext context, string name) => context.Items[Key] = "admin:" + name;

    public static string? Of(HttpContext context) => context.Items.TryGetValue(Key, out var actor) ? actor as string : null;
}
