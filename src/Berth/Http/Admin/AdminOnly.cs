namespace Berth.Http.Admin;

/// <summary>
/// Endpoint metadata of every admin route. <see cref="AdminAuthFilter"/> finds it after routing and refuses
/// a caller without admin credentials before the endpoint binds (and so reads) the request body.
/// </summary>
internal sealed class AdminOnly
{
    public static AdminOnly Instance { get; } = new();

    private AdminOnly()
    {
    }
}
