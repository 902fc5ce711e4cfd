using System.Text;

namespace Visibility.Engine.Inspection.Conditions;

/// <summary>One inspection buffer of a packet (the payload, or a sticky buffer such as the REDIRECT gateway) with
/// its Latin-1 view, widened on first use into scratch space the evaluator owns, so <c>pcre</c> and the
/// multi-pattern prefilter run over chars without allocating.</summary>
internal ref struct ScanBuffer
{
    private readonly Span<char> _scratch;
    private bool _widened;

    public ScanBuffer(ReadOnlySpan<byte> bytes, Span<char> scratch)
    {
        Bytes = bytes;
        _scratch = scratch;
        _widened = false;
        PcreTimeouts = 0;
    }

    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>Count of <c>pcre</c> evaluations abandoned at their match timeout (counted as no match).</summary>
    public int PcreTimeouts { get; set; }

    /// <summary>The bytes as chars U+0000..U+00FF; valid for the life of this buffer.</summary>
    public ReadOnlySpan<char> Chars
    {
        get
        {
            Span<char> chars = _scratch[..Bytes.Length];
            if (!_widened)
            {
                Encoding.Latin1.GetChars(Bytes, chars);
                _widened = true;
            }
            return chars;
        }
    }
}
