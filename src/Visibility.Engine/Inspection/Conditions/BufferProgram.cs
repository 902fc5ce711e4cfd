using System.Runtime.CompilerServices;
namespace Visibility.Engine.Inspection.Conditions;

/// <summary>The ordered <c>content</c>/<c>pcre</c> items of one signature on one buffer.</summary>
/// <remarks>Matching looks for an assignment of match positions that satisfies every item in order. When a later
/// relative item fails, the earlier item it depends on is retried at its next occurrence (Suricata's recursive
/// content inspection); the total number of search steps is bounded, as Suricata bounds its recursion.
/// A negated item passes when it finds nothing in its window and does not move the previous match end.</remarks>
internal sealed class BufferProgram
{
    /// <summary>Search steps allowed for one program on one packet (Suricata's default inspection recursion limit).</summary>
    public const int StepLimit = 3000;

    private readonly PatternItem[] _items;
    private readonly bool[] _retry;

    public BufferProgram(InspectionBufferKind buffer, PatternItem[] items)
    {
        Buffer = buffer;
        _items = items;
        _retry = new bool[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            // Retrying item i helps only if a later relative item measures from i's match end, i.e. every item
            // between them is negated (negated items do not move the previous match end).
            for (int j = i + 1; j < items.Length; j++)
            {
                if (items[j].IsRelative)
                {
                    _retry[i] = !items[i].Negated;
                    break;
                }
                if (!items[j].Negated)
                {
                    break;
                }
            }
        }
    }

    public InspectionBufferKind Buffer { get; }

    public ReadOnlySpan<PatternItem> Items => _items;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsMatch(ref ScanBuffer buffer)
    {
        int steps = StepLimit;
        return MatchFrom(0, 0, ref buffer, ref steps);
    }

    private bool MatchFrom(int index, int previousEnd, ref ScanBuffer buffer, ref int steps)
    {
        if (index == _items.Length)
        {
            return true;
        }
        PatternItem item = _items[index];
        if (item.Negated)
        {
            if (--steps < 0 || item.TryFind(ref buffer, previousEnd, -1, out _, out _))
            {
                return false;
            }
            return MatchFrom(index + 1, previousEnd, ref buffer, ref steps);
        }
        int from = -1;
        while (--steps >= 0 && item.TryFind(ref buffer, previousEnd, from, out int start, out int end))
        {
            if (MatchFrom(index + 1, end, ref buffer, ref steps))
            {
                return true;
            }
            if (!_retry[index])
            {
                return false;
            }
            from = start + 1;
        }
        return false;
    }
}
