namespace Berth.Access.Refresh;

/// <summary>Refresh tokens, shared by every replica.</summary>
public interface IRefreshTokenStore
{
    Task StoreRefreshTokenAsync(RefreshTokenRecord record, CancellationToken cancellationToken);

    Task<RefreshTokenRecord?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken);

    Task<bool> DeleteRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Revokes every refresh token bound to the robot (disabled, deleted or changed).</summary>
    Task<int> DeleteRefreshTokensForRobotAsync(string robot, CancellationToken cancellationToken);

    /// <summary>Revokes every refresh token the selector names (an administrator's revocation, a provider's key reset).</summary>
    Task<int> RevokeRefreshTokensAsync(RefreshTokenSelector selector, CancellationToken cancellationToken);

    /// <summary>Each distinct robots fingerprint stored, with its robots (ordered by name).</summary>
    Task<IReadOnlyList<RefreshTokenBinding>> ListRefreshTokenBindingsAsync(CancellationToken cancellationToken);

    Task<int> PurgeExpiredRefreshTokensAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
