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
}
