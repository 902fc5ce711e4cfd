using System.Runtime.CompilerServices;
using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>One vectorised <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> per pattern over
/// the payload bytes: fast for a handful of case-sensitive patterns over text, slow over random bytes; no longer chosen
/// (see <see cref="PatternMatcher"/>), kept as a reference for tests and benchmarks.</summary>
internal sealed class IndexOfEachMatcher : PatternMatcher
{
    private readonly byte[][] _patterns;
    private readonly bool[] _noCase;

    public IndexOfEachMatcher(IReadOnlyList<byte[]> patterns, IReadOnlyList<bool> noCase)
    {
        _patterns = [.. patterns];
        _noCase = [.. noCase];
    }

    public override int PatternCount => _patterns.Length;

    public override int Scan(ref ScanBuffer payload, int[] stamps, int slotBase, int generation, Span<int> hits) =>
        Scan(payload.Bytes, stamps, slotBase, generation, hits);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Scan(ReadOnlySpan<byte> text, int[] stamps, int slotBase, int generation, Span<int> hits)
    {
        int count = 0;
        for (int p = 0; p < _patterns.Length; p++)
        {
            ref int stamp = ref stamps[slotBase + p];
            if (stamp == generation)
            {
                continue;
            }
            int at = _noCase[p] ? ContentItem.IndexOfFolded(text, _patterns[p]) : text.IndexOf(_patterns[p]);
            if (at >= 0)
            {
                stamp = generation;
                hits[count++] = p;
            }
        }
        return count;
    }
}
