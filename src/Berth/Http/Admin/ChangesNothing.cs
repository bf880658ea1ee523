namespace Berth.Http.Admin;

/// <summary>
/// Endpoint metadata of an admin POST that only computes an answer (explain, lint of an unsaved robot):
/// <see cref="AdminAuthFilter"/> treats it as a read, so the console's rule tester and lint, which call it
/// as the administrator types, do not bury the audit log's registry events.
/// </summary>
internal sealed class ChangesNothing
{
    public static ChangesNothing Instance { get; } = new();

    private ChangesNothing()
    {
    }
}
