using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Berth.Access.Permissions;

/// <summary>
/// A glob over a repository's path inside its project (<c>app/**</c> for <c>library/app/…</c>).
/// <list type="bullet">
/// <item><c>*</c> matches any run of characters inside one '/'-separated segment, possibly empty
/// (<c>app-*</c> matches <c>app-</c> and <c>app-web</c>; a lone <c>*</c> matches exactly one segment).</item>
/// <item><c>**</c>, which must be a whole segment, matches <b>one or more</b> whole segments.
/// So <c>app/**</c> matches <c>app/x</c> and <c>app/x/y</c> but <b>not</b> <c>app</c> itself: a pattern
/// never grants more than it visibly names; write a second permission <c>app</c> to include it.
/// A lone <c>**</c> matches every repository of the project.</item>
/// <item>Every other character is literal and must be a valid repository path character
/// (<c>[a-z0-9._-]</c>); empty segments are invalid. So a pattern templated from a claim value that is
/// not a valid path component fails to parse and never matches.</item>
/// </list>
/// Patterns are compiled once into segment matchers and run as a set of states over the path segments
/// (a Thompson-style simulation), so matching is polynomial, never exponential, whatever the pattern.
/// </summary>
public sealed class RepositoryGlob
{
    private const int MaxPatternLength = 255;
    private const int CacheLimit = 4096;

    private static readonly ConcurrentDictionary<string, RepositoryGlob?> Cache = new(StringComparer.Ordinal);

    private readonly Segment[] _segments;

    private RepositoryGlob(string pattern, Segment[] segments)
    {
        Pattern = pattern;
        _segments = segments;
    }

    public string Pattern { get; }

    /// <summary>Compiles a pattern, or explains why it is invalid (for configuration validation).</summary>
    public static bool TryParse(string? pattern, [NotNullWhen(true)] out RepositoryGlob? glob, [NotNullWhen(false)] out string? error)
    {
        glob = null;
        if (string.IsNullOrEmpty(pattern))
        {
            error = "a repository pattern must not be empty";
            return false;
        }

        if (pattern.Length > MaxPatternLength)
        {
            error = $"a repository pattern must be at most {MaxPatternLength} characters";
            return false;
        }

        var parts = pattern.Split('/');
        var segments = new Segment[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0)
            {
                error = $"'{pattern}' has an empty segment (leading, trailing or doubled '/')";
                return false;
            }

            if (part == "**")
            {
                segments[i] = Segment.AnySegments;
                continue;
            }

            if (part.Contains("**", StringComparison.Ordinal))
            {
                error = $"'{pattern}': '**' must be a whole segment between '/'";
                return false;
            }

            foreach (var c in part)
            {
                if (c != '*' && !IsPathChar(c))
                {
                    error = $"'{pattern}': '{c}' cannot appear in a repository path (allowed: a-z 0-9 . _ - and * **)";
                    return false;
                }
            }

            segments[i] = new Segment(part);
        }

        glob = new RepositoryGlob(pattern, segments);
        error = null;
        return true;
    }

    /// <summary>Compiles a pattern; throws <see cref="FormatException"/> when it is invalid.</summary>
    public static RepositoryGlob Parse(string pattern) =>
        TryParse(pattern, out var glob, out var error) ? glob : throw new FormatException(error);

    /// <summary>
    /// The compiled glob for <paramref name="pattern"/>, or null when it is invalid. Compiled patterns are
    /// cached (bounded, since templated patterns vary per token).
    /// </summary>
    internal static RepositoryGlob? GetCached(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        var glob = TryParse(pattern, out var parsed, out _) ? parsed : null;
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(pattern, glob);
        }

        return glob;
    }

    /// <summary>Whether <paramref name="path"/> (the repository name without its project) matches.</summary>
    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return false;
        }

        // states[i] = the pattern's first i segments have consumed the path so far.
        var states = new bool[_segments.Length + 1];
        var next = new bool[_segments.Length + 1];
        states[0] = true;
        foreach (var range in path.AsSpan().Split('/'))
        {
            var segment = path.AsSpan(range);
            if (segment.IsEmpty)
            {
                return false;
            }

            Array.Clear(next);
            var any = false;
            for (var i = 0; i < _segments.Length; i++)
            {
                if (!states[i])
                {
                    continue;
                }

                var matcher = _segments[i];
                if (matcher.IsAnySegments)
                {
                    // '**' consumes this segment and either stays (more to come) or is done.
                    next[i] = true;
                    next[i + 1] = true;
                    any = true;
                }
                else if (matcher.Matches(segment))
                {
                    next[i + 1] = true;
                    any = true;
                }
            }

            if (!any)
            {
                return false;
            }

            (states, next) = (next, states);
        }

        return states[_segments.Length];
    }

    public override string ToString() => Pattern;

    private static bool IsPathChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-';

    private sealed class Segment
    {
        public static readonly Segment AnySegments = new(null);

        private readonly string? _pattern;

        public Segment(string? pattern) => _pattern = pattern;

        public bool IsAnySegments => _pattern is null;

        /// <summary>
        /// Wildcard match of one segment with '*' only: the greedy two-pointer algorithm that remembers
        /// just the last '*', which is O(n·m) in the worst case and never exponential.
        /// </summary>
        public bool Matches(ReadOnlySpan<char> text)
        {
            var pattern = _pattern.AsSpan();
            int p = 0, t = 0, star = -1, mark = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && pattern[p] == '*')
                {
                    star = p++;
                    mark = t;
                }
                else if (p < pattern.Length && pattern[p] == text[t])
                {
                    p++;
                    t++;
                }
                else if (star >= 0)
                {
                    p = star + 1;
                    t = ++mark;
                }
                else
                {
                    return false;
                }
            }

            while (p < pattern.Length && pattern[p] == '*')
            {
                p++;
            }

            return p == pattern.Length;
        }
    }
}
