using System.Data.Common;
using System.Globalization;
using Berth.Access.Audit;
using Berth.Access.Refresh;
using Berth.Registry.Content;
using Berth.Registry.Metadata;

namespace Berth.Data.Schema;

/// <summary>
/// Rows of the shared schema read into records, the same for every provider: both readers are
/// <see cref="DbDataReader"/>s over the columns the shared statements list.
/// </summary>
internal static class Rows
{
    public static DateTimeOffset FromMilliseconds(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static string? GetNullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Upload ids are stored as lower-case "D" text so the column stays portable.</summary>
    public static string UploadKey(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>The distinct, trimmed robot names of a comma-separated <see cref="AuditEntry.Robots"/> value.</summary>
    public static IReadOnlyList<string> SplitRobots(string? robots) =>
        robots is null
            ? []
            : robots.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Reads the two result sets of an audit count: per hour and outcome, then refused per reason.</summary>
    public static async Task<AuditCounts> ReadAuditCountsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var hours = new List<AuditHourCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hours.Add(new AuditHourCount(FromMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetInt64(2)));
        }

        await reader.NextResultAsync(cancellationToken);
        var reasons = new List<AuditReasonCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            reasons.Add(new AuditReasonCount(GetNullableString(reader, 0), reader.GetInt64(1)));
        }

        return new AuditCounts(hours, reasons);
    }

    public static AuditEntry ReadAuditEntry(DbDataReader reader) => new(
        FromMilliseconds(reader.GetInt64(1)),
        reader.GetString(2),
        reader.GetString(3),
        GetNullableString(reader, 4),
        GetNullableString(reader, 5),
        GetNullableString(reader, 6),
        GetNullableString(reader, 7),
        GetNullableString(reader, 8),
        GetNullableString(reader, 9),
        GetNullableString(reader, 10),
        GetNullableString(reader, 11),
        GetNullableString(reader, 12))
    {
        Id = reader.GetInt64(0),
        Unverified = Convert.ToInt64(reader.GetValue(13), CultureInfo.InvariantCulture) != 0,
    };

    public static UploadSession ReadUpload(DbDataReader reader) => new(
        Guid.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
        reader.GetString(1),
        reader.GetInt64(2),
        FromMilliseconds(reader.GetInt64(3)),
        FromMilliseconds(reader.GetInt64(4)));

    /// <summary>Reads <see cref="ManifestSql.ManifestColumns"/> of the current row.</summary>
    public static ManifestInfo ReadManifest(DbDataReader reader) => new(
        Digest.Parse(reader.GetString(0)),
        reader.GetString(1),
        reader.GetInt64(2),
        GetNullableString(reader, 3),
        reader.IsDBNull(4) ? null : Digest.Parse(reader.GetString(4)),
        GetNullableString(reader, 5));

    /// <summary>
    /// Reads the rows of <see cref="RefreshTokenSql.FindRefreshTokenSql"/> (one per robot, the token's columns
    /// repeated); null when there is none. Reads the reader to its end.
    /// </summary>
    public static async Task<RefreshTokenRecord?> ReadRefreshTokenAsync(DbDataReader reader, string tokenHash, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var issuer = reader.GetString(0);
        var subject = reader.GetString(1);
        var fingerprint = reader.GetString(2);
        var createdAt = FromMilliseconds(reader.GetInt64(3));
        var expiresAt = FromMilliseconds(reader.GetInt64(4));
        var permissions = reader.GetString(6);
        var robots = new List<string>();
        do
        {
            if (!reader.IsDBNull(5))
            {
                robots.Add(reader.GetString(5));
            }
        }
        while (await reader.ReadAsync(cancellationToken));

        return new RefreshTokenRecord(tokenHash, robots, issuer, subject, fingerprint, createdAt, expiresAt, permissions);
    }
}
