using System.Data;
using System.Data.Common;
using System.Text;
using Berth.Access.Audit;

namespace Berth.Data.Schema;

/// <summary>The audit log columns, the same for every provider (inserts differ: id allocation is provider-specific).</summary>
internal static class AuditSql
{
    public const string AuditColumns =
        "id, occurred_at, kind, outcome, issuer, subject, token_id, robots, repository, reference, digest, client_ip, reason, unverified";

    /// <summary>
    /// One slice of a retention purge, oldest entries first: a purge of months of entries runs as many short
    /// transactions, so appends (and SQLite's one writer) never wait behind one long delete.
    /// Robots rows go first: SQLite enforces no foreign keys unless asked, so no cascade can be relied on.
    /// The slice is ordered by (occurred_at, id), the order of the occurred_at index, so both statements
    /// pick the same rows and read them through that index. Ordered by id alone, SQLite walked the table
    /// from its first row instead, and the last slice of every purge (fewer rows than a slice, or none)
    /// read the whole audit log twice while holding the write lock.
    /// </summary>
    public const string PurgeRobotsSliceSql =
        "DELETE FROM audit_robots WHERE audit_id IN (SELECT id FROM audit_log WHERE occurred_at < @cutoff ORDER BY occurred_at, id LIMIT @slice)";

    /// <summary>The entries of the slice whose robots rows <see cref="PurgeRobotsSliceSql"/> deleted.</summary>
    public const string PurgeEntriesSliceSql =
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE occurred_at < @cutoff ORDER BY occurred_at, id LIMIT @slice)";

    public const int PurgeSlice = 5000;

    /// <summary>Entries per hour (the hour's start in Unix milliseconds) and outcome; a WHERE clause follows.</summary>
    public const string CountByHourSelect = "SELECT occurred_at - occurred_at % 3600000, outcome, COUNT(*) FROM audit_log WHERE ";

    public const string CountByHourGroup = " GROUP BY 1, 2";

    /// <summary>Refused entries per reason; a WHERE clause follows.</summary>
    public const string CountRefusedByReasonSelect = "SELECT reason, COUNT(*) FROM audit_log WHERE outcome = 'refused' AND ";

    public const string CountRefusedByReasonGroup = " GROUP BY reason";

    /// <summary>
    /// The query's filters as a WHERE condition, their parameters added to <paramref name="command"/> with
    /// their types, so SQLite and PostgreSQL bind them alike. <paramref name="paged"/> adds the keyset bound.
    /// </summary>
    public static string Where(AuditQuery query, DbCommand command, bool paged)
    {
        var sql = new StringBuilder("1 = 1");
        void Filter(string condition, string parameter, DbType type, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                var bound = command.CreateParameter();
                bound.ParameterName = parameter;
                bound.DbType = type;
                bound.Value = value;
                command.Parameters.Add(bound);
            }
        }

        Filter("occurred_at >= @from", "@from", DbType.Int64, query.From?.ToUnixTimeMilliseconds());
        Filter("occurred_at <= @to", "@to", DbType.Int64, query.To?.ToUnixTimeMilliseconds());
        Filter("id IN (SELECT audit_id FROM audit_robots WHERE robot = @robot)", "@robot", DbType.String, query.Robot);
        Filter("issuer = @issuer", "@issuer", DbType.String, query.Issuer);
        Filter("subject = @subject", "@subject", DbType.String, query.Subject);
        Filter("repository = @repository", "@repository", DbType.String, query.Repository);
        Filter("outcome = @outcome", "@outcome", DbType.String, query.Outcome);
        Filter("kind = @kind", "@kind", DbType.String, query.Kind);
        Filter("reason = @reason", "@reason", DbType.String, query.Reason);
        Filter("id < @before_id", "@before_id", DbType.Int64, paged ? query.BeforeId : null);
        return sql.ToString();
    }
}
