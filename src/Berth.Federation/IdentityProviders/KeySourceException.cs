namespace Berth.Federation.IdentityProviders;

/// <summary>A key source answered, but with something Berth must not trust or cannot use.</summary>
internal sealed class KeySourceException : Exception
{
    public KeySourceException(string message)
        : base(message)
    {
    }

    public KeySourceException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public KeySourceException()
    {
    }

    /// <summary>
    /// For the server log only, when <see cref="Exception.Message"/> is deliberately vague: the message
    /// reaches admin API callers (key health), the detail would tell them about the server's files.
    /// </summary>
    public string? Detail { get; init; }
}
