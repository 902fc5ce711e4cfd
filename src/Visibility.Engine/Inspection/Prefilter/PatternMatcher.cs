using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>Finds which of a group's fast patterns occur in a payload, exactly (nocase patterns fold ASCII only).</summary>
/// <remarks>Two implementations, chosen per group by size after RuleSetBenchmarks (16, 1,000 and 10,000 patterns over
/// HTTP-like text and random bytes): <see cref="SearchValuesMatcher"/> is fastest for small groups and on data with
/// few near-misses; <see cref="AhoCorasickMatcher"/> costs the same few nanoseconds per byte whatever the patterns,
/// and wins by an order of magnitude on text that resembles the patterns once groups are large.</remarks>
internal abstract class PatternMatcher
{
    /// <summary>Groups with more patterns than this use the Aho-Corasick automaton.</summary>
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
        if (patterns.Count > SearchValuesLimit && AhoCorasickMatcher.TryCreate(patterns, noCase, AutomatonBudget) is { } automaton)
        {
            return automaton;
        }
        return new SearchValuesMatcher(patterns, noCase);
    }

    internal static byte[] FoldedPattern(ContentItem content) =>
        content.NoCase ? ContentItem.Fold(content.Pattern) : content.Pattern;
}
