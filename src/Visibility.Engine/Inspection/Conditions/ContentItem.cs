namespace Visibility.Engine.Inspection.Conditions;

/// <summary>A compiled <c>content</c> with its modifiers.</summary>
/// <remarks>Suricata's semantics: <c>depth</c> counts from <c>offset</c> (<c>offset:3; depth:5</c> searches bytes
/// 3..7); <c>distance</c> and <c>within</c> count from the end of the previous positive match in the same buffer,
/// <c>within</c> from the point <c>distance</c> gives (so <c>distance:-2; within:4</c> is the window from two bytes
/// before the previous end to two after); the whole pattern must lie inside the window. <c>nocase</c> folds ASCII
/// letters only.</remarks>
internal sealed class ContentItem : PatternItem
{
    private readonly byte[] _pattern;

    public ContentItem(byte[] pattern, bool noCase, int offset, int? depth, int distance, int? within, bool relative)
    {
        NoCase = noCase;
        _pattern = noCase ? Fold(pattern) : pattern;
        Pattern = pattern;
        Offset = offset;
        Depth = depth;
        Distance = distance;
        Within = within;
        Relative = relative;
    }

    /// <summary>The bytes as written in the rule.</summary>
    public byte[] Pattern { get; }

    public bool NoCase { get; }

    public int Offset { get; }

    public int? Depth { get; }

    public int Distance { get; }

    public int? Within { get; }

    public bool Relative { get; }

    public override bool IsRelative => Relative;

    public override bool TryFind(ref ScanBuffer buffer, int previousEnd, int from, out int start, out int end)
    {
        ReadOnlySpan<byte> bytes = buffer.Bytes;
        long windowStart, windowEnd;
        if (Relative)
        {
            windowStart = (long)previousEnd + Distance;
            windowEnd = Within is int w ? (long)previousEnd + Distance + w : bytes.Length;
        }
        else
        {
            windowStart = Offset;
            windowEnd = Depth is int d ? (long)Offset + d : bytes.Length;
        }
        windowStart = Math.Max(Math.Max(windowStart, 0), from);
        windowEnd = Math.Min(windowEnd, bytes.Length);
        start = end = 0;
        if (windowEnd - windowStart < _pattern.Length)
        {
            return false;
        }
        ReadOnlySpan<byte> window = bytes[(int)windowStart..(int)windowEnd];
        int index = NoCase ? IndexOfFolded(window, _pattern) : window.IndexOf(_pattern);
        if (index < 0)
        {
            return false;
        }
        start = (int)windowStart + index;
        end = start + _pattern.Length;
        return true;
    }

    /// <summary>Index of <paramref name="folded"/> (lowercase ASCII) in <paramref name="haystack"/>, ignoring ASCII case.</summary>
    internal static int IndexOfFolded(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> folded)
    {
        byte first = folded[0];
        bool letter = first is >= (byte)'a' and <= (byte)'z';
        byte upper = (byte)(first - 32);
        int pos = 0;
        int lastStart = haystack.Length - folded.Length;
        while (pos <= lastStart)
        {
            ReadOnlySpan<byte> rest = haystack[pos..(lastStart + 1)];
            int i = letter ? rest.IndexOfAny(first, upper) : rest.IndexOf(first);
            if (i < 0)
            {
                return -1;
            }
            int candidate = pos + i;
            if (EqualsFolded(haystack.Slice(candidate, folded.Length), folded))
            {
                return candidate;
            }
            pos = candidate + 1;
        }
        return -1;
    }

    internal static bool EqualsFolded(ReadOnlySpan<byte> text, ReadOnlySpan<byte> folded)
    {
        for (int i = 0; i < folded.Length; i++)
        {
            byte b = text[i];
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                b |= 0x20;
            }
            if (b != folded[i])
            {
                return false;
            }
        }
        return true;
    }

    internal static byte[] Fold(ReadOnlySpan<byte> pattern)
    {
        byte[] folded = pattern.ToArray();
        for (int i = 0; i < folded.Length; i++)
        {
            if (folded[i] is >= (byte)'A' and <= (byte)'Z')
            {
                folded[i] |= 0x20;
            }
        }
        return folded;
    }
}
