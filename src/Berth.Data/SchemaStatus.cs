namespace Berth.Data;

/// <summary>
/// Where a metadata database stands against the migrations this Berth knows, read without changing it
/// (<c>berth serve --check-config</c> prints it; the next start applies what is pending).
/// </summary>
/// <param name="Exists">False when the database (SQLite: its file) does not exist yet or holds no schema.</param>
/// <param name="Applied">The highest version applied, 0 for none.</param>
/// <param name="Known">The highest version this Berth knows.</param>
/// <param name="Pending">The migrations the next start applies, in order, as "version name".</param>
public sealed record SchemaStatus(bool Exists, int Applied, int Known, IReadOnlyList<string> Pending)
{
    /// <summary>The database was migrated by a newer Berth: this one refuses to start against it.</summary>
    public bool IsNewer => Applied > Known;
}
