using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>Aho-Corasick as a complete DFA over byte classes: one table load per payload byte whatever the number
/// of patterns, with no widening to chars.</summary>
/// <remarks>
/// <para>The automaton is built over ASCII-folded patterns and reads folded bytes (the fold is part of the byte-class
/// table), so one automaton serves nocase and case-sensitive patterns; a case-sensitive pattern is verified against
/// the raw bytes when its state is reached. Bytes that occur in no pattern share class 0.</para>
/// <para>Table entries are premultiplied by the row length (next state × classes) and negated (bitwise) when the
/// next state ends a pattern, so the scan loop is one load, one add and a rarely taken branch per byte.</para>
/// <para>Memory is states × classes × 4 bytes (10,000 patterns of ~11 bytes over ~70 byte values: ~30 MB);
/// <see cref="TryCreate"/> declines above a budget.</para>
/// </remarks>
internal sealed class AhoCorasickMatcher : PatternMatcher
{
    // Texts of at least Parts × MinimumPart bytes are walked in Parts interleaved parts (see Scan).
    private const int Parts = 4;
    private const int MinimumPart = 32;

    private readonly byte[][] _patterns;
    private readonly bool[] _noCase;
    private readonly byte[] _classOf;
    private readonly int _classes;
    private readonly int[] _delta;
    private readonly int[][] _own;
    private readonly int[] _outputLink;
    private readonly int _longest;

    private AhoCorasickMatcher(byte[][] patterns, bool[] noCase, byte[] classOf, int classes, int[] delta, int[][] own, int[] outputLink)
    {
        _longest = patterns.Length == 0 ? 0 : patterns.Max(p => p.Length);
        _patterns = patterns;
        _noCase = noCase;
        _classOf = classOf;
        _classes = classes;
        _delta = delta;
        _own = own;
        _outputLink = outputLink;
    }

    public override int PatternCount => _patterns.Length;

    public int StateCount => _own.Length;

    /// <summary>Builds the automaton, or returns null when its table would exceed <paramref name="budget"/> entries.</summary>
    public static AhoCorasickMatcher? TryCreate(IReadOnlyList<byte[]> patterns, IReadOnlyList<bool> noCase, long budget)
    {
        var folded = new byte[patterns.Count][];
        var classOfFolded = new byte[256];
        int classes = 1;
        long totalLength = 0;
        for (int i = 0; i < patterns.Count; i++)
        {
            folded[i] = ContentItem.Fold(patterns[i]);
            totalLength += folded[i].Length;
            foreach (byte b in folded[i])
            {
                if (classOfFolded[b] == 0)
                {
                    if (classes == 256)
                    {
                        return null;
                    }
                    classOfFolded[b] = (byte)classes++;
                }
            }
        }
        if ((totalLength + 1) * classes > budget)
        {
            return null;
        }
        var classOf = new byte[256];
        for (int b = 0; b < 256; b++)
        {
            int f = b is >= 'A' and <= 'Z' ? b | 0x20 : b;
            classOf[b] = classOfFolded[f];
        }

        // Trie over folded bytes; goto[state * classes + class] = next state + 1 (0 = none) while building.
        var gotoTable = new List<int>(new int[classes]);
        var own = new List<List<int>?> { null };
        for (int p = 0; p < folded.Length; p++)
        {
            int state = 0;
            foreach (byte b in folded[p])
            {
                int slot = state * classes + classOfFolded[b];
                if (gotoTable[slot] == 0)
                {
                    gotoTable[slot] = own.Count + 1;
                    own.Add(null);
                    gotoTable.AddRange(new int[classes]);
                }
                state = gotoTable[slot] - 1;
            }
            (own[state] ??= []).Add(p);
        }

        int states = own.Count;
        var delta = new int[states * classes];
        var fail = new int[states];
        var outputLink = new int[states];
        var hasOutput = new bool[states];
        var order = new List<int>(states);
        var queue = new Queue<int>();
        for (int c = 0; c < classes; c++)
        {
            int next = gotoTable[c] - 1;
            delta[c] = Math.Max(next, 0);
            if (next > 0)
            {
                queue.Enqueue(next);
            }
        }
        while (queue.Count > 0)
        {
            int r = queue.Dequeue();
            order.Add(r);
            int f = fail[r];
            outputLink[r] = own[f] is not null ? f : outputLink[f];
            hasOutput[r] = own[r] is not null || outputLink[r] != 0;
            for (int c = 0; c < classes; c++)
            {
                int next = gotoTable[r * classes + c] - 1;
                if (next > 0)
                {
                    fail[next] = delta[f * classes + c];
                    delta[r * classes + c] = next;
                    queue.Enqueue(next);
                }
                else
                {
                    delta[r * classes + c] = delta[f * classes + c];
                }
            }
        }
        for (int i = 0; i < delta.Length; i++)
        {
            int next = delta[i];
            delta[i] = hasOutput[next] ? ~(next * classes) : next * classes;
        }
        bool[] noCaseArray = [.. noCase];
        int[][] ownArray = [.. own.Select(l => l is null ? [] : l.ToArray())];
        byte[][] raw = [.. patterns];
        return new AhoCorasickMatcher(raw, noCaseArray, classOf, classes, delta, ownArray, outputLink);
    }

    public override int Scan(ref ScanBuffer payload, int[] stamps, int slotBase, int generation, Span<int> hits) =>
        Scan(payload.Bytes, stamps, slotBase, generation, hits);

    /// <summary>Reports each pattern that occurs in <paramref name="text"/> once (the stamps make it a set).</summary>
    /// <remarks>One automaton walk is a chain of dependent table loads, and a large table is mostly out of the first
    /// level cache, so a long text is cut into four parts walked side by side: four independent chains keep four
    /// loads in flight. Each part starts in the root state and runs on past its end by the longest pattern's length
    /// less one, so an occurrence that starts in a part ends inside what that part walks; one found twice is
    /// reported once.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Scan(ReadOnlySpan<byte> text, int[] stamps, int slotBase, int generation, Span<int> hits)
    {
        int part = text.Length / Parts;
        int overlap = _longest - 1;
        if (part < MinimumPart || overlap > part || overlap < 0)
        {
            return Walk(text, 0, 0, text.Length, stamps, slotBase, generation, hits, 0);
        }

        // Unchecked reads: every index below is inside text (see the bounds above), every class is < _classes and
        // every table entry is a state's premultiplied row start (checked by the property tests).
        ref int delta = ref MemoryMarshal.GetArrayDataReference(_delta);
        ref byte classOf = ref MemoryMarshal.GetArrayDataReference(_classOf);
        ref byte t = ref MemoryMarshal.GetReference(text);
        int count = 0;
        var states = default(PartStates);
        int start1 = part, start2 = 2 * part, start3 = 3 * part;
        // Parts 0-2 walk part + overlap bytes, the last one the rest (at least part bytes): together for the shorter.
        int together = Math.Min(part + overlap, text.Length - start3);
        for (int i = 0; i < together; i++)
        {
            // The walk stops at a byte where some part ends a pattern: report there, then go on past it.
            i = WalkTogether(ref delta, ref classOf, ref t, part, i, together, ref states);
            if (i == together)
            {
                break;
            }
            count = ReportAny(ref states.S0, text, i, stamps, slotBase, generation, hits, count);
            count = ReportAny(ref states.S1, text, start1 + i, stamps, slotBase, generation, hits, count);
            count = ReportAny(ref states.S2, text, start2 + i, stamps, slotBase, generation, hits, count);
            count = ReportAny(ref states.S3, text, start3 + i, stamps, slotBase, generation, hits, count);
        }
        int s0 = states.S0, s1 = states.S1, s2 = states.S2, s3 = states.S3;
        int end = part + overlap;
        count = Walk(text, s0, together, end, stamps, slotBase, generation, hits, count);
        count = Walk(text, s1, start1 + together, start1 + end, stamps, slotBase, generation, hits, count);
        count = Walk(text, s2, start2 + together, start2 + end, stamps, slotBase, generation, hits, count);
        return Walk(text, s3, start3 + together, text.Length, stamps, slotBase, generation, hits, count);
    }

    /// <summary>The four parts' states between two calls of <see cref="WalkTogether"/>.</summary>
    private struct PartStates
    {
        public int S0;
        public int S1;
        public int S2;
        public int S3;
    }

    /// <summary>Walks the four parts from their offset <paramref name="from"/> until one of them ends a pattern (then
    /// its state is left as the marked table entry and that offset returned) or <paramref name="to"/>. No calls in
    /// the loop, so its states and offsets stay in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static int WalkTogether(ref int delta, ref byte classOf, ref byte t, int part, int from, int to, ref PartStates states)
    {
        int s0 = states.S0, s1 = states.S1, s2 = states.S2, s3 = states.S3;
        ref byte t1 = ref Unsafe.Add(ref t, part);
        ref byte t2 = ref Unsafe.Add(ref t, 2 * part);
        ref byte t3 = ref Unsafe.Add(ref t, 3 * part);
        int i = from;
        for (; i < to; i++)
        {
            int n0 = Unsafe.Add(ref delta, s0 + Unsafe.Add(ref classOf, Unsafe.Add(ref t, i)));
            int n1 = Unsafe.Add(ref delta, s1 + Unsafe.Add(ref classOf, Unsafe.Add(ref t1, i)));
            int n2 = Unsafe.Add(ref delta, s2 + Unsafe.Add(ref classOf, Unsafe.Add(ref t2, i)));
            int n3 = Unsafe.Add(ref delta, s3 + Unsafe.Add(ref classOf, Unsafe.Add(ref t3, i)));
            s0 = n0;
            s1 = n1;
            s2 = n2;
            s3 = n3;
            if ((n0 | n1 | n2 | n3) < 0)
            {
                break;
            }
        }
        states.S0 = s0;
        states.S1 = s1;
        states.S2 = s2;
        states.S3 = s3;
        return i;
    }

    /// <summary>Walks <paramref name="text"/>[<paramref name="from"/>..<paramref name="to"/>) (clamped to the text) from
    /// <paramref name="state"/>.</summary>
    private int Walk(ReadOnlySpan<byte> text, int state, int from, int to, int[] stamps, int slotBase, int generation, Span<int> hits, int count)
    {
        int[] delta = _delta;
        byte[] classOf = _classOf;
        to = Math.Min(to, text.Length);
        for (int i = from; i < to; i++)
        {
            int next = delta[state + classOf[text[i]]];
            count = ReportAny(ref next, text, i, stamps, slotBase, generation, hits, count);
            state = next;
        }
        return count;
    }

    /// <summary>For a table entry just read: when it ends a pattern, reports the patterns ending at
    /// <paramref name="end"/> and turns the entry into the plain next state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReportAny(ref int next, ReadOnlySpan<byte> text, int end, int[] stamps, int slotBase, int generation, Span<int> hits, int count)
    {
        if (next < 0)
        {
            next = ~next;
            count = Report(next / _classes, text, end, stamps, slotBase, generation, hits, count);
        }
        return count;
    }

    private int Report(int state, ReadOnlySpan<byte> text, int end, int[] stamps, int slotBase, int generation, Span<int> hits, int count)
    {
        for (int s = _own[state].Length > 0 ? state : _outputLink[state]; s != 0; s = _outputLink[s])
        {
            foreach (int p in _own[s])
            {
                ref int stamp = ref stamps[slotBase + p];
                if (stamp == generation)
                {
                    continue;
                }
                byte[] pattern = _patterns[p];
                if (!_noCase[p] && !text.Slice(end + 1 - pattern.Length, pattern.Length).SequenceEqual(pattern))
                {
                    continue;
                }
                stamp = generation;
                hits[count++] = p;
            }
        }
        return count;
    }
}
