using System.Text;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>Keeps the last lines a child server printed, for failure messages.</summary>
internal sealed class OutputLog
{
    private const int MaxChars = 64 * 1024;
    private readonly StringBuilder text = new();
    private readonly Lock gate = new();

    public void Append(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (gate)
        {
            text.Append(stream).Append(": ").AppendLine(line);
            if (text.Length > MaxChars)
            {
                text.Remove(0, text.Length - MaxChars);
            }
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            return text.ToString();
        }
    }
}
