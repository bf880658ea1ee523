using Npgsql;

namespace Berth.Data.Postgres;

/// <summary>
/// Checks and describes an Npgsql connection string without ever repeating it: it usually holds a
/// password, and messages and logs must not.
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>Null when <paramref name="connectionString"/> is usable, otherwise why not (without its contents).</summary>
    public static string? Problem(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "is required, e.g. Host=db.example.com;Database=berth;Username=berth;Password=…";
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql's messages name the offending keyword, not the value.
            return "is not a valid Npgsql connection string: " + e.Message;
        }

        return string.IsNullOrWhiteSpace(builder.Host) ? "must name a Host" : null;
    }

    /// <summary>E.g. <c>berth@db.example.com:5432/berth</c>: enough to find the database, never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var user = string.IsNullOrEmpty(builder.Username) ? string.Empty : builder.Username + "@";
        return $"{user}{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    /// <inheritdoc cref="Describe(NpgsqlConnectionStringBuilder)"/>
    public static string Describe(string connectionString) => Describe(Parse(connectionString));

    internal static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        if (Problem(connectionString) is { } problem)
        {
            throw new ArgumentException("the PostgreSQL connection string " + problem, nameof(connectionString));
        }

        return new NpgsqlConnectionStringBuilder(connectionString);
    }
}
