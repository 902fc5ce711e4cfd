using System.Runtime.CompilerServices;
using System.Buffers;
using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>Finds which of a group's fast patterns occur in a payload: one pass of
/// <see cref="SearchValues{T}"/> of strings over the Latin-1 view finds each position where some pattern starts,
/// and a table keyed by the first chars there names the candidates, which are verified exactly.</summary>
/// <remarks>
/// <para>The search runs case-insensitively (<see cref="StringComparison.OrdinalIgnoreCase"/>) for every pattern:
/// it finds a superset of the true occurrences (case-sensitive ones, and nocase ones, which fold ASCII only);
/// verification is exact, so the result is exactly the set of patterns that occur.</para>
/// <para>The fallback when an automaton would be too large (see <see cref="PatternMatcher"/>): its cost grows with
/// the number of places where some pattern nearly starts.</para>
/// </remarks>
internal sealed class SearchValuesMatcher : PatternMatcher
{
    private readonly SearchValues<string> _values;
    private readonly string[] _patterns;
    private readonly bool[] _noCase;
    private readonly Dictionary<ulong, int[]> _byPrefix;
    private readonly int _keyLength;
    private readonly int _minLength;

    /// <param name="patterns">Pattern bytes; nocase patterns already folded to lowercase ASCII.</param>
    /// <param name="noCase">Per pattern, whether it ignores ASCII case.</param>
    public SearchValuesMatcher(IReadOnlyList<byte[]> patterns, IReadOnlyList<bool> noCase)
    {
        int n = patterns.Count;
        _patterns = new string[n];
        _noCase = new bool[n];
        _minLength = int.MaxValue;
        for (int i = 0; i < n; i++)
        {
            _patterns[i] = Latin1(patterns[i]);
            _noCase[i] = noCase[i];
            _minLength = Math.Min(_minLength, patterns[i].Length);
        }
        _keyLength = Math.Min(4, _minLength);
        var lists = new Dictionary<ulong, List<int>>();
        for (int i = 0; i < n; i++)
        {
            ulong key = Key(_patterns[i]);
            if (!lists.TryGetValue(key, out List<int>? list))
            {
                lists[key] = list = [];
            }
            list.Add(i);
        }
        _byPrefix = lists.ToDictionary(p => p.Key, p => p.Value.ToArray());
        _values = SearchValues.Create(_patterns.Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparison.OrdinalIgnoreCase);

        // The search's generic code is compiled on first use; running it here starts its tiering before traffic does.
        ReadOnlySpan<char> warmUp = new string('\u00ff', 256);
        for (int i = 0; i < 64; i++)
        {
            _ = warmUp.IndexOfAny(_values);
        }
    }

    public override int PatternCount => _patterns.Length;

    public override int Scan(ref ScanBuffer payload, int[] stamps, int slotBase, int generation, Span<int> hits) =>
        Scan(payload.Chars, stamps, slotBase, generation, hits);

    /// <summary>As <see cref="PatternMatcher.Scan"/>, over the Latin-1 view.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Scan(ReadOnlySpan<char> text, int[] stamps, int slotBase, int generation, Span<int> hits)
    {
        int count = 0;
        int pos = 0;
        int last = text.Length - _minLength;
        while (pos <= last)
        {
            int index = text[pos..].IndexOfAny(_values);
            if (index < 0)
            {
                break;
            }
            int at = pos + index;
            if (_byPrefix.TryGetValue(Key(text.Slice(at, _keyLength)), out int[]? candidates))
            {
                foreach (int c in candidates)
                {
                    ref int stamp = ref stamps[slotBase + c];
                    if (stamp != generation && Verify(text, at, c))
                    {
                        stamp = generation;
                        hits[count++] = c;
                    }
                }
                if (count == _patterns.Length)
                {
                    break;
                }
            }
            pos = at + 1;
        }
        return count;
    }

    private bool Verify(ReadOnlySpan<char> text, int at, int pattern)
    {
        string p = _patterns[pattern];
        if (text.Length - at < p.Length)
        {
            return false;
        }
        ReadOnlySpan<char> candidate = text.Slice(at, p.Length);
        if (!_noCase[pattern])
        {
            return candidate.SequenceEqual(p);
        }
        for (int i = 0; i < p.Length; i++)
        {
            if (Fold(candidate[i]) != p[i])
            {
                return false;
            }
        }
        return true;
    }

    private ulong Key(ReadOnlySpan<char> text)
    {
        ulong key = 0;
        for (int i = 0; i < _keyLength; i++)
        {
            key = key << 16 | Fold(text[i]);
        }
        return key;
    }

    private static char Fold(char c) => c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;

    private static string Latin1(byte[] bytes) => string.Create(bytes.Length, bytes, static (span, b) =>
    {
        for (int i = 0; i < b.Length; i++)
        {
            span[i] = (char)b[i];
        }
    });

}
