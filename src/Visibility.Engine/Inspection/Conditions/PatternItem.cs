namespace Visibility.Engine.Inspection.Conditions;

/// <summary>One step of a buffer program: a <c>content</c> or a <c>pcre</c>, plain or negated, absolute or
/// relative to the end of the previous positive match in the same buffer.</summary>
internal abstract class PatternItem
{
    public bool Negated { get; init; }

    /// <summary>True when the window starts at the previous match end (distance/within, or pcre's R flag).</summary>
    public abstract bool IsRelative { get; }

    /// <summary>Finds the leftmost match inside this item's window that starts at or after <paramref name="from"/>.</summary>
    /// <param name="buffer">The buffer to search.</param>
    /// <param name="previousEnd">End of the previous positive match in this buffer (0 at the start).</param>
    /// <param name="from">Minimum start offset, used to retry after a later relative item failed; -1 for none.</param>
    /// <param name="start">Start offset of the match.</param>
    /// <param name="end">Offset one past the match.</param>
    public abstract bool TryFind(ref ScanBuffer buffer, int previousEnd, int from, out int start, out int end);
}
