using System.Data;
using System.Data.Common;

namespace Berth.Data.Stores;

/// <summary>
/// Commands and typed parameters on any provider's connection. The types are explicit, so a null still
/// tells PostgreSQL its type, and they bind as each provider's own AddWithValue did (SQLite TEXT and
/// INTEGER, PostgreSQL text, bigint and integer).
/// </summary>
internal static class DbCommands
{
    public static DbCommand CreateCommand(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static void AddText(DbCommand command, string name, string? value) =>
        Add(command, name, DbType.String, value is null ? DBNull.Value : value);

    public static void AddBigint(DbCommand command, string name, long? value) =>
        Add(command, name, DbType.Int64, value is { } v ? v : DBNull.Value);

    public static void AddInteger(DbCommand command, string name, int value) =>
        Add(command, name, DbType.Int32, value);

    public static void ThrowIfNegative(int limit, string name)
    {
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(name, limit, "limit must not be negative");
        }
    }

    public static async Task<IReadOnlyList<string>> ReadStringsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static void Add(DbCommand command, string name, DbType type, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
