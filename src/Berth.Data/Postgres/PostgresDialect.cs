using System.Data.Common;
using System.Text.RegularExpressions;
using Berth.Data.Schema;
using Berth.Data.Stores;
using Npgsql;

namespace Berth.Data.Postgres;

/// <summary>
/// PostgreSQL's side of the shared store classes (a write needs no session set-up: every connection
/// enforces foreign keys and waits on locks), and the portable migrations of <see cref="SchemaMigrations"/>
/// in PostgreSQL's spelling.
/// </summary>
internal sealed partial class PostgresDialect(NpgsqlDataSource dataSource) : ProviderDialect(dataSource, "postgres")
{
    /// <summary>ALWAYS: ids come from the sequence only, so none can collide with one it hands out later.</summary>
    private const string IdentityKey = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    /// <summary>
    /// Every text column compares in the "C" collation (bytes of UTF-8, as SQLite's BINARY), whatever
    /// the database's default: tag and catalog pages are ordinal and <c>name &gt; @after</c> must agree
    /// with the index order on every replica and every database locale.
    /// </summary>
    public static string Translate(string portableSql) =>
        TextType().Replace(portableSql.Replace(SchemaMigrations.IdentityToken, IdentityKey, StringComparison.Ordinal), "TEXT COLLATE \"C\"");

    public override ValueTask<DbConnection> OpenWriteAsync(CancellationToken cancellationToken) =>
        OpenReadAsync(cancellationToken);

    [GeneratedRegex(@"\bTEXT\b", RegexOptions.CultureInvariant)]
    private static partial Regex TextType();
}
