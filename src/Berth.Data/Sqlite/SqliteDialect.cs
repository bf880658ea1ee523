using System.Data.Common;
using Berth.Data.Stores;

namespace Berth.Data.Sqlite;

/// <summary>SQLite's side of the shared store classes: a write opens with the write pragmas (<see cref="SqliteDataSource.OpenWriteAsync"/>).</summary>
internal sealed class SqliteDialect(SqliteDataSource dataSource) : ProviderDialect(dataSource, "sqlite")
{
    public override async ValueTask<DbConnection> OpenWriteAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenWriteAsync(cancellationToken);
}
