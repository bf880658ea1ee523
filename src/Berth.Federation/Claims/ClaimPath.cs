using System.Text.Json;

namespace Berth.Federation.Claims;

/// <summary>
/// A dotted path into a claims document. A key may itself contain dots
/// (<c>kubernetes.io.namespace</c> reaches <c>{"kubernetes.io": {"namespace": …}}</c>), so at each
/// object the longest key prefix that exists is tried first, then shorter ones.
/// </summary>
public sealed class ClaimPath
{
    private const int MaxSegments = 32;
    private readonly string[] _segments;

    public ClaimPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new ArgumentException("a claim path must not be empty", nameof(path));
        }

        _segments = path.Split('.');
        if (_segments.Length > MaxSegments)
        {
            throw new ArgumentException($"claim path '{path}' has more than {MaxSegments} segments", nameof(path));
        }

        if (_segments.Any(s => s.Length == 0))
        {
            throw new ArgumentException($"claim path '{path}' has an empty segment (leading, trailing or doubled '.')", nameof(path));
        }

        Text = path;
    }

    /// <summary>The path as written, e.g. <c>kubernetes.io.namespace</c>.</summary>
    public string Text { get; }

    /// <summary>Finds the value at this path; JSON <c>null</c> counts as missing.</summary>
    public bool TryResolve(JsonElement claims, out JsonElement value)
    {
        if (TryResolve(claims, 0, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public override string ToString() => Text;

    private bool TryResolve(JsonElement current, int start, out JsonElement value)
    {
        value = default;
        if (current.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        // Longest prefix first: {"a.b": 1, "a": {"b": 2}} resolves "a.b" to 1.
        for (var end = _segments.Length; end > start; end--)
        {
            var key = string.Join('.', _segments, start, end - start);
            if (!current.TryGetProperty(key, out var child))
            {
                continue;
            }

            if (end == _segments.Length)
            {
                value = child;
                return true;
            }

            if (TryResolve(child, end, out value))
            {
                return true;
            }
        }

        return false;
    }
}
