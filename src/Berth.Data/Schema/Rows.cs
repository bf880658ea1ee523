using System.Data.Common;
using System.Globalization;
using Berth.Access.Audit;
using Berth.Registry.Metadata;

namespace Berth.Data.Schema;

/// <summary>
/// Rows of the shared schema read into records, the same for every provider: both readers are
/// <see cref="DbDataReader"/>s over the columns <see cref="AuditSql"/> and <see cref="UploadSql"/> list.
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
    };

    public static UploadSession ReadUpload(DbDataReader reader) => new(
        Guid.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
        reader.GetString(1),
        reader.GetInt64(2),
        FromMilliseconds(reader.GetInt64(3)),
        FromMilliseconds(reader.GetInt64(4)));
}
