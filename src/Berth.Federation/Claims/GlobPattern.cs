using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Federation.Claims;

/// <summary>
/// Compiles a claim glob: <c>*</c> matches within one segment (segments are separated by <c>/</c> or
/// <c>:</c>), <c>**</c> matches across segments; every other character is literal.
/// </summary>
internal static class GlobPattern
{
    public static Regex Compile(string glob)
    {
        var builder = new StringBuilder(@"\A(?:");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*')
            {
                if (i + 1 < glob.Length && glob[i + 1] == '*')
                {
                    builder.Append(".*");
                    i++;
                    while (i + 1 < glob.Length && glob[i + 1] == '*')
                    {
                        i++;
                    }
                }
                else
                {
                    builder.Append("[^/:]*");
                }
            }
            else
            {
                builder.Append(System.Text.RegularExpressions.Regex.Escape(glob[i].ToString()));
            }
        }

        builder.Append(@")\z");
        return ClaimRegex.Create(builder.ToString());
    }
}
