using System.Numerics;
using System.Runtime.Intrinsics;
using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>A group of a few hundred patterns: text payloads are searched by the automaton, the others by the byte
/// fingerprint (<see cref="TeddyMatcher"/>), which falls back to the automaton when it finds too many candidates.</summary>
/// <remarks>
/// <para>On random bytes, which is what encrypted ESP and TLS payloads look like and what most packets of an IPsec
/// network carry, the fingerprint search over 32 to 200 patterns is five to ten times faster than the automaton; on
/// text that resembles the patterns (HTTP against HTTP rules) it verifies candidates at most positions and is up to
/// ten times slower (RuleSetBenchmarks; <see cref="PatternMatcher"/> has the table). So a payload whose first
/// <see cref="TextSample"/> bytes are mostly printable ASCII goes to the automaton at once, and any other payload to
/// the fingerprint search with a budget of candidate positions: <see cref="BudgetFactor"/> times what random bytes
/// of the payload's length would raise (<see cref="TeddyMatcher.RandomCandidateRate"/>), plus
/// <see cref="BaseBudget"/>. When it runs out (binary data that resembles the patterns), the automaton scans the whole
/// payload; the patterns found before are already stamped, so it does not report them twice.</para>
/// </remarks>
internal sealed class TeddyOrAutomatonMatcher : PatternMatcher
{
    /// <summary>Groups of more than this many patterns use the automaton alone: with more patterns per bucket the
    /// fingerprint verifies more on random bytes too (1,000 patterns: 361 / 1,296 ns per random packet,
    /// case-sensitive / nocase, against the automaton's 689 / 581), and only up to 200 was measured in this form.</summary>
    public const int Limit = 256;

    internal const double BudgetFactor = 4;
    internal const int BaseBudget = 16;

    /// <summary>How many leading bytes tell text from binary payloads (four 16-byte vectors).</summary>
    internal const int TextSample = 64;

    private readonly TeddyMatcher _fingerprint;
    private readonly AhoCorasickMatcher _automaton;
    private readonly double _budgetPerByte;

    private TeddyOrAutomatonMatcher(TeddyMatcher fingerprint, AhoCorasickMatcher automaton)
    {
        _fingerprint = fingerprint;
        _automaton = automaton;
        _budgetPerByte = BudgetFactor * fingerprint.RandomCandidateRate;
    }

    public override int PatternCount => _fingerprint.PatternCount;

    /// <summary>Random payloads cost the fingerprint search more than the automaton (about 0.6 ns per byte) when it
    /// expects to verify more patterns per byte than this (<see cref="TeddyMatcher.RandomVerifyRate"/>): patterns
    /// whose first bytes are so varied that a bucket admits a large share of all byte triples. Measured: 0.012 for the
    /// 186 patterns of the 1,000-rule benchmark set's <c>ip any any</c> group, 2.7 for 200 text patterns mixed with
    /// 20 random three-byte binary ones (ten times slower than the automaton).</summary>
    internal const double MaxRandomVerifyRate = 0.1;

    /// <summary>Null when the automaton would exceed <paramref name="budget"/> entries (see
    /// <see cref="AhoCorasickMatcher.TryCreate"/>).</summary>
    public static TeddyOrAutomatonMatcher? TryCreate(IReadOnlyList<byte[]> patterns, IReadOnlyList<bool> noCase, long budget) =>
        AhoCorasickMatcher.TryCreate(patterns, noCase, budget) is { } automaton
            ? new TeddyOrAutomatonMatcher(new TeddyMatcher(patterns, noCase), automaton)
            : null;

    /// <summary>The fingerprint search is expected to verify few enough patterns on random payloads
    /// (<see cref="MaxRandomVerifyRate"/>) to beat the automaton there; otherwise the automaton alone serves best.</summary>
    public bool PaysOnRandomBytes => _fingerprint.RandomVerifyRate <= MaxRandomVerifyRate;

    /// <summary>The automaton over the same patterns (what serves the group when the fingerprint does not pay).</summary>
    public AhoCorasickMatcher Automaton => _automaton;

    public override int Scan(ref ScanBuffer payload, int[] stamps, int slotBase, int generation, Span<int> hits) =>
        Scan(payload.Bytes, stamps, slotBase, generation, hits, out _);

    /// <summary>As <see cref="PatternMatcher.Scan"/>, over the bytes; <paramref name="usedAutomaton"/> tells whether the
    /// automaton searched the payload (text, or the fingerprint's budget ran out).</summary>
    internal int Scan(ReadOnlySpan<byte> text, int[] stamps, int slotBase, int generation, Span<int> hits, out bool usedAutomaton)
    {
        if (LooksLikeText(text))
        {
            usedAutomaton = true;
            return _automaton.Scan(text, stamps, slotBase, generation, hits);
        }
        int budget = (int)(text.Length * _budgetPerByte) + BaseBudget;
        int count = _fingerprint.Scan(text, stamps, slotBase, generation, hits, ref budget);
        usedAutomaton = budget < 0;
        return usedAutomaton ? count + _automaton.Scan(text, stamps, slotBase, generation, hits[count..]) : count;
    }

    /// <summary>At least three quarters of the first <see cref="TextSample"/> bytes (all of a shorter payload) are
    /// printable ASCII or whitespace (tab to carriage return). Random bytes are so in about 39% of places.</summary>
    internal static bool LooksLikeText(ReadOnlySpan<byte> payload)
    {
        int sample = Math.Min(payload.Length, TextSample);
        int printable = 0;
        int i = 0;
        for (; i + Vector128<byte>.Count <= sample; i += Vector128<byte>.Count)
        {
            Vector128<byte> v = Vector128.Create(payload.Slice(i, Vector128<byte>.Count));
            Vector128<byte> text = Vector128.LessThan(v - Vector128.Create((byte)0x20), Vector128.Create((byte)0x5F))
                | Vector128.LessThan(v - Vector128.Create((byte)0x09), Vector128.Create((byte)0x05));
            printable += BitOperations.PopCount(text.ExtractMostSignificantBits());
        }
        for (; i < sample; i++)
        {
            byte b = payload[i];
            if (b is (>= 0x20 and < 0x7F) or (>= 0x09 and <= 0x0D))
            {
                printable++;
            }
        }
        return printable * 4 >= sample * 3;
    }
}
