using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>Finds which of a group's fast patterns occur in a payload, exactly (nocase patterns fold ASCII only).</summary>
/// <remarks>
/// <para>The implementation is chosen per group from RuleSetBenchmarks (short runs, ns per packet; HTTP requests of
/// ~550 bytes and random 1,000-byte payloads, case-sensitive / nocase):</para>
/// <code>
///                     16 patterns              1,000 patterns          10,000 patterns
///                     http       random        http       random       http        random
/// IndexOf each        257/2569   360/1988      18.8k/212k 33k/161k     216k/2.7M   333k/1.5M
/// SearchValues        951/645    14.0k/22.3k   4.2k/6.5k  8.3k/9.1k    20.8k/33.2k 20.9k/23.0k
/// Aho-Corasick DFA    1236/1192  3.0k/2.6k     1.2k/1.3k  2.7k/3.0k    2.6k/1.3k   3.9k/4.0k
/// </code>
/// <para>So: a few case-sensitive patterns use <see cref="IndexOfEachMatcher"/>; everything else the
/// <see cref="AhoCorasickMatcher"/>, whose cost per byte does not depend on how many patterns there are or how much
/// the traffic resembles them. <see cref="SearchValuesMatcher"/> (SearchValues of strings over the Latin-1 view) is
/// fast on small sets of ASCII text patterns but degrades with near-misses at scale and with non-ASCII patterns under
/// ignore-case; it remains the fallback when an automaton would exceed <see cref="AutomatonBudget"/>.</para>
/// </remarks>
internal abstract class PatternMatcher
{
    /// <summary>Groups of at most this many patterns, all ASCII, search with <see cref="SearchValuesMatcher"/>.</summary>
    public const int SearchValuesLimit = 64;

    /// <summary>Largest automaton table (entries of 4 bytes) built before falling back to SearchValues.</summary>
    public const long AutomatonBudget = 32L << 20;

    public abstract int PatternCount { get; }

    /// <summary>Writes the index of every pattern that occurs in <paramref name="payload"/> to <paramref name="hits"/>
    /// (each once: <paramref name="stamps"/> at <paramref name="slotBase"/> + index is set to
    /// <paramref name="generation"/>) and returns how many.</summary>
    public abstract int Scan(ref ScanBuffer payload, int[] stamps, int slotBase, int generation, Span<int> hits);

    /// <param name="patterns">Pattern bytes; nocase patterns already folded to lowercase ASCII.</param>
    /// <param name="noCase">Per pattern, whether it ignores ASCII case.</param>
    public static PatternMatcher Create(IReadOnlyList<byte[]> patterns, IReadOnlyList<bool> noCase)
    {
        if (patterns.Count <= SearchValuesLimit && patterns.All(IsAscii))
        {
            return new SearchValuesMatcher(patterns, noCase);
        }
        return AhoCorasickMatcher.TryCreate(patterns, noCase, AutomatonBudget) ?? (PatternMatcher)new SearchValuesMatcher(patterns, noCase);
    }

    private static bool IsAscii(byte[] pattern) => System.Text.Ascii.IsValid(pattern);

    internal static byte[] FoldedPattern(ContentItem content) =>
        content.NoCase ? ContentItem.Fold(content.Pattern) : content.Pattern;
}
