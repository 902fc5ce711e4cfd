using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>Finds which of a group's fast patterns occur in a payload, exactly (nocase patterns fold ASCII only).</summary>
/// <remarks>
/// <para>The implementation is chosen per group from RuleSetBenchmarks (mean ns per packet, short runs on an idle
/// machine; ASCII rule contents; an HTTP request of ~550 bytes and random 1,000-byte payloads, which stand for
/// encrypted ESP; case-sensitive / nocase):</para>
/// <code>
///                     16 patterns        32 patterns       64 patterns         200 patterns        1,000 patterns
///                     http     random    http    random    http      random    http      random    http        random
/// Teddy               265/224  33/35     721/844 59/47     965/1076  41/61     2590/3277 54/108    18.5k/32.2k 361/1296
/// Teddy or automaton                     441/419 64/51                         325/309   63/112
/// Aho-Corasick        425/312  716/595   443/410 586/572   348/316   604/582   331/315   596/618   429/546     689/581
/// SearchValues        552/376  116/157                     1405/1407 145/141                       2821/3209   2654/2779
/// </code>
/// <para>Groups of up to <see cref="TeddyLimit"/> patterns use <see cref="TeddyMatcher"/> (a byte fingerprint
/// search over the payload itself): the fastest on both kinds of payload. With more patterns its eight buckets fill
/// up, and on text that resembles the patterns it verifies candidates at most positions, while on random bytes,
/// which is what most packets of an IPsec network carry, it stays ten times faster than the automaton. So groups of
/// up to <see cref="TeddyOrAutomatonMatcher.Limit"/> patterns use <see cref="TeddyOrAutomatonMatcher"/>: the
/// automaton for payloads that look like text, the fingerprint for the others. Larger groups use the
/// <see cref="AhoCorasickMatcher"/> alone, whose cost per byte does not depend on how many patterns there are or how
/// much the traffic resembles them. SearchValues of strings over a Latin-1 copy of the payload
/// (<see cref="SearchValuesMatcher"/>, the first prefilter) remains the fallback when an automaton would exceed
/// <see cref="AutomatonBudget"/>. One IndexOf per pattern (<see cref="IndexOfEachMatcher"/>) is never faster than
/// both on both kinds of payload and is kept as the reference for tests and benchmarks.</para>
/// </remarks>
internal abstract class PatternMatcher
{
    /// <summary>Groups of at most this many patterns search with <see cref="TeddyMatcher"/> alone.</summary>
    public const int TeddyLimit = 16;

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
        if (patterns.Count <= TeddyOrAutomatonMatcher.Limit
            && TeddyOrAutomatonMatcher.TryCreate(patterns, noCase, AutomatonBudget) is { } textOrBinary)
        {
            return textOrBinary.PaysOnRandomBytes ? textOrBinary : textOrBinary.Automaton;
        }
        return AhoCorasickMatcher.TryCreate(patterns, noCase, AutomatonBudget) ?? (PatternMatcher)new SearchValuesMatcher(patterns, noCase);
    }

    internal static byte[] FoldedPattern(ContentItem content) =>
        content.NoCase ? ContentItem.Fold(content.Pattern) : content.Pattern;
}
