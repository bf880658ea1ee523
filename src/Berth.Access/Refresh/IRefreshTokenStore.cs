namespace Berth.Access.Refresh;

/// <summary>Refresh tokens, shared by every replica.</summary>
public interface IRefreshTokenStore
{
    Task StoreRefreshTokenAsync(RefreshTokenRecord record, CancellationToken cancellationToken);

    Task<RefreshTokenRecord?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken);

    Task<bool> DeleteRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Revokes every refresh token bound to the robot (disabled, deleted or changed).</summary>
    Task<int> DeleteRefreshTokensForRobotAsync(string robot, CancellationToken cancellationToken);

    Task<int> PurgeExpiredRefreshTokensAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
