using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>Finds which of a group's fast patterns occur in a payload, exactly (nocase patterns fold ASCII only).</summary>
/// <remarks>
/// <para>The implementation is chosen per group from RuleSetBenchmarks (short runs on a shared, loaded machine, ns per
/// packet; ASCII rule contents; HTTP requests of ~550 bytes and random 1,000-byte payloads, which stand for encrypted
/// ESP; case-sensitive / nocase):</para>
/// <code>
///                   16 patterns            64 patterns             1,000 patterns          10,000 patterns
///                   http      random       http       random       http       random       http        random
/// IndexOf each      543/2368  2979/4904    5280/10.5k 6338/12.3k   79k/408k   172k/366k    814k/3.4M   2.6M/3.0M
/// SearchValues      692/685   270/540      4084/3399  191/313      8413/9507  8244/8622    42.9k/72.9k 36.1k/28.8k
/// Aho-Corasick DFA  1158/1328 6282/5370    2019/1201  3165/4797    2487/2447  5496/6746    5416/4682   4242/5327
/// </code>
/// <para>Since then groups of up to <see cref="TeddyLimit"/> patterns use <see cref="TeddyMatcher"/>, the same kind of
/// fingerprint search done on the bytes themselves (no Latin-1 copy): 16 patterns, HTTP 1.5 / 0.8 µs and random
/// 0.23 / 0.21 µs against SearchValues' 2.5 / 1.5 and 0.25 / 0.29 µs (rules/README.md has the table). Before it,
/// groups of up to 64 ASCII patterns used <see cref="SearchValuesMatcher"/>
/// (SearchValues of strings over the Latin-1 view, a vectorised Teddy search): 10-20x faster than the automaton on
/// random payloads, which is what most packets of an IPsec network carry, and within 2-3x of it on HTTP text.
/// Above 80 values SearchValues leaves Teddy for an automaton of its own, slower than ours, so larger groups use the
/// <see cref="AhoCorasickMatcher"/>, whose cost per byte does not depend on how many patterns there are or how much
/// the traffic resembles them; SearchValues remains the fallback when an automaton would exceed
/// <see cref="AutomatonBudget"/>. One IndexOf per pattern (<see cref="IndexOfEachMatcher"/>) is never faster than
/// both on both kinds of payload and is kept as the reference for tests and benchmarks.</para>
/// </remarks>
internal abstract class PatternMatcher
{
    /// <summary>Groups of at most this many patterns search with <see cref="TeddyMatcher"/>.</summary>
    public const int TeddyLimit = 64;

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
        if (patterns.Count <= TeddyLimit)
        {
            return new TeddyMatcher(patterns, noCase);
        }
        return AhoCorasickMatcher.TryCreate(patterns, noCase, AutomatonBudget) ?? (PatternMatcher)new SearchValuesMatcher(patterns, noCase);
    }

    internal static byte[] FoldedPattern(ContentItem content) =>
        content.NoCase ? ContentItem.Fold(content.Pattern) : content.Pattern;
}
