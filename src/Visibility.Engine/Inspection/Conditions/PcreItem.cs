using System.Text.RegularExpressions;

namespace Visibility.Engine.Inspection.Conditions;

/// <summary>A compiled <c>pcre</c>, run over the Latin-1 view of the buffer (byte N is char U+00NN, so <c>\xNN</c>
/// matches byte NN). With the R flag the subject starts at the previous match end, so <c>^</c> anchors there.
/// A match that exceeds the timeout counts as no match.</summary>
internal sealed class PcreItem : PatternItem
{
    public PcreItem(Regex regex, bool relative, string source)
    {
        Regex = regex;
        Relative = relative;
        Source = source;
    }

    public Regex Regex { get; }

    public bool Relative { get; }

    /// <summary>The pattern as written in the rule, for diagnostics.</summary>
    public string Source { get; }

    public override bool IsRelative => Relative;

    public override bool TryFind(ref ScanBuffer buffer, int previousEnd, int from, out int start, out int end)
    {
        start = end = 0;
        ReadOnlySpan<char> chars = buffer.Chars;
        int baseOffset = Relative ? previousEnd : 0;
        if (baseOffset > chars.Length)
        {
            return false;
        }
        ReadOnlySpan<char> subject = chars[baseOffset..];
        int startAt = Math.Max(from - baseOffset, 0);
        if (startAt > subject.Length)
        {
            return false;
        }
        try
        {
            foreach (ValueMatch match in Regex.EnumerateMatches(subject, startAt))
            {
                start = baseOffset + match.Index;
                end = start + match.Length;
                return true;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            buffer.PcreTimeouts++;
        }
        return false;
    }
}
