using Microsoft.IdentityModel.Tokens;

namespace Berth.Federation.IdentityProviders;

/// <summary>Keys a token may be verified with, or why there are none.</summary>
internal sealed record KeyLookup(IReadOnlyList<JsonWebKey> Keys, string? Problem)
{
    public bool Found => Keys.Count > 0;

    public static KeyLookup Of(IReadOnlyList<JsonWebKey> keys) => new(keys, null);

    public static KeyLookup None(string problem) => new([], problem);
}
