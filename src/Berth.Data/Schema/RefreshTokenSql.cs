namespace Berth.Data.Schema;

/// <summary>The refresh token statements whose text is the same for every provider (binding and locking differ).</summary>
internal static class RefreshTokenSql
{
    public const string FindRefreshTokenSql =
        "SELECT t.issuer, t.subject, t.robots_fingerprint, t.created_at, t.expires_at, r.robot, t.permissions " +
        "FROM refresh_tokens t LEFT JOIN refresh_token_robots r ON r.token_hash = t.token_hash " +
        "WHERE t.token_hash = @token_hash ORDER BY r.position";

    public const string DeleteRefreshTokenRobotsSql =
        "DELETE FROM refresh_token_robots WHERE token_hash = @token_hash";

    /// <summary>The robots rows go with the token through ON DELETE CASCADE (PostgreSQL always enforces it; SQLite connections set foreign_keys = ON).</summary>
    public const string DeleteRefreshTokenSql =
        "DELETE FROM refresh_tokens WHERE token_hash = @token_hash";

    public const string DeleteRefreshTokensForRobotSql =
        "DELETE FROM refresh_tokens WHERE token_hash IN (SELECT token_hash FROM refresh_token_robots WHERE robot = @robot)";

    public const string DeleteRefreshTokensForSubjectSql =
        "DELETE FROM refresh_tokens WHERE subject = @value";

    public const string DeleteRefreshTokensForIssuerSql =
        "DELETE FROM refresh_tokens WHERE issuer = @value";

    public const string DeleteRefreshTokensForFingerprintSql =
        "DELETE FROM refresh_tokens WHERE robots_fingerprint = @value";

    /// <summary>A fingerprint hashes its robots' names, so one fingerprint always comes with the same robots.</summary>
    public const string ListRefreshTokenBindingsSql =
        "SELECT DISTINCT t.robots_fingerprint, r.robot FROM refresh_tokens t " +
        "LEFT JOIN refresh_token_robots r ON r.token_hash = t.token_hash ORDER BY t.robots_fingerprint, r.robot";

    public const string PurgeExpiredRefreshTokensSql =
        "DELETE FROM refresh_tokens WHERE expires_at <= @now";
}
