using Berth.Access.Refresh;
using static Berth.Data.Schema.RefreshTokenSql;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>
/// Hashed refresh tokens and the robots they are bound to (<see cref="IRefreshTokenStore"/>): the lookup
/// and the revocations, the same on every provider (the robots rows go with their token through ON
/// DELETE CASCADE). A provider's subclass stores and deletes one token its own way.
/// </summary>
internal abstract class RefreshTokenStore(ProviderDialect dialect) : IRefreshTokenStore
{
    /// <summary>Stores the token; storing the same hash again replaces the earlier record.</summary>
    public abstract Task StoreRefreshTokenAsync(RefreshTokenRecord record, CancellationToken cancellationToken);

    public abstract Task<bool> DeleteRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>The stored record, expired or not: the caller compares <see cref="RefreshTokenRecord.ExpiresAt"/> with its clock.</summary>
    public async Task<RefreshTokenRecord?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, FindRefreshTokenSql);
        AddText(command, "@token_hash", tokenHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadRefreshTokenAsync(reader, tokenHash, cancellationToken);
    }

    public async Task<int> DeleteRefreshTokensForRobotAsync(string robot, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, DeleteRefreshTokensForRobotSql);
        AddText(command, "@robot", robot);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> RevokeRefreshTokensAsync(RefreshTokenSelector selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (selector.Kind == RefreshTokenSelectorKind.Robot)
        {
            return await DeleteRefreshTokensForRobotAsync(selector.Value, cancellationToken);
        }

        var sql = selector.Kind switch
        {
            RefreshTokenSelectorKind.Subject => DeleteRefreshTokensForSubjectSql,
            RefreshTokenSelectorKind.Issuer => DeleteRefreshTokensForIssuerSql,
            RefreshTokenSelectorKind.Fingerprint => DeleteRefreshTokensForFingerprintSql,
            _ => throw new ArgumentOutOfRangeException(nameof(selector), selector.Kind, "unknown selector"),
        };
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, sql);
        AddText(command, "@value", selector.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RefreshTokenBinding>> ListRefreshTokenBindingsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, ListRefreshTokenBindingsSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var bindings = new List<RefreshTokenBinding>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var fingerprint = reader.GetString(0);
            if (bindings.Count == 0 || bindings[^1].RobotsFingerprint != fingerprint)
            {
                bindings.Add(new RefreshTokenBinding(fingerprint, new List<string>()));
            }

            if (!await reader.IsDBNullAsync(1, cancellationToken))
            {
                ((List<string>)bindings[^1].Robots).Add(reader.GetString(1));
            }
        }

        return bindings;
    }

    public async Task<int> PurgeExpiredRefreshTokensAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, PurgeExpiredRefreshTokensSql);
        AddBigint(command, "@now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
