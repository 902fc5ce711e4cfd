using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Prefilter;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>Both prefilter implementations report exactly the patterns that occur, with ASCII-only case folding.</summary>
public sealed class PatternMatcherTests
{
    public static TheoryData<string> Kinds => ["teddy", "teddyorautomaton", "searchvalues", "ahocorasick", "indexofeach"];

    private static PatternMatcher Create(string kind, byte[][] patterns, bool[] noCase) => kind switch
    {
        "teddy" => new TeddyMatcher(patterns, noCase),
        "searchvalues" => new SearchValuesMatcher(patterns, noCase),
        "indexofeach" => new IndexOfEachMatcher(patterns, noCase),
        "teddyorautomaton" => TeddyOrAutomatonMatcher.TryCreate(patterns, noCase, PatternMatcher.AutomatonBudget)!,
        _ => AhoCorasickMatcher.TryCreate(patterns, noCase, PatternMatcher.AutomatonBudget)!,
    };

    private static int[] Scan(PatternMatcher matcher, string text, int patterns)
    {
        var stamps = new int[patterns];
        var hits = new int[patterns];
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        var buffer = new ScanBuffer(bytes, new char[bytes.Length]);
        int n = matcher.Scan(ref buffer, stamps, 0, 1, hits);
        return [.. hits.Take(n).Order()];
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Scan_OverlappingAndRepeatedPatterns_EachReportedOnce(string kind)
    {
        byte[][] patterns = ["abc"u8.ToArray(), "bcd"u8.ToArray(), "c"u8.ToArray(), "zz"u8.ToArray()];
        PatternMatcher matcher = Create(kind, patterns, [false, false, false, false]);
        Assert.Equal([0, 1, 2], Scan(matcher, "abcdabcd", patterns.Length));
        Assert.Empty(Scan(matcher, "xyz", patterns.Length));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Scan_CaseModes_CaseSensitiveExactNocaseAsciiOnly(string kind)
    {
        byte[][] patterns = ["get"u8.ToArray(), "Host"u8.ToArray(), [0xE9, (byte)'t', (byte)'e'], "HOST"u8.ToArray()];
        PatternMatcher matcher = Create(kind, patterns, [true, false, true, false]);
        Assert.Equal([0], Scan(matcher, "GET host", patterns.Length));
        Assert.Equal([1], Scan(matcher, "Host", patterns.Length));
        Assert.Equal([2], Scan(matcher, "\u00e9TE", patterns.Length));
        Assert.Equal([3], Scan(matcher, "HOST", patterns.Length));
        Assert.Empty(Scan(matcher, "\u00c9te", patterns.Length));
    }

    [Fact]
    public void Scan_StampAlreadySet_PatternSkipped()
    {
        var matcher = new SearchValuesMatcher(["ab"u8.ToArray()], [false]);
        var stamps = new int[] { 7 };
        var hits = new int[1];
        Assert.Equal(0, matcher.Scan("ab", stamps, 0, 7, hits));
        Assert.Equal(1, matcher.Scan("ab", stamps, 0, 8, hits));
    }

    [Fact]
    public void Create_BySizeAndAscii_ChoosesImplementation()
    {
        byte[][] few = [.. Enumerable.Range(0, PatternMatcher.TeddyLimit).Select(i => Encoding.Latin1.GetBytes($"p{i}x"))];
        byte[][] many = [.. Enumerable.Range(0, PatternMatcher.TeddyLimit + 1).Select(i => Encoding.Latin1.GetBytes($"p{i}x"))];
        byte[][] latin1 = [.. few.Take(3), [0xE9, (byte)'t', (byte)'e']];
        Assert.IsType<TeddyMatcher>(PatternMatcher.Create(few, [.. few.Select(_ => false)]));
        Assert.IsType<TeddyMatcher>(PatternMatcher.Create(few, [.. few.Select((_, i) => i == 0)]));
        Assert.IsType<TeddyMatcher>(PatternMatcher.Create(latin1, [.. latin1.Select(_ => false)]));
        byte[][] oneByte = [.. few.Take(3), "x"u8.ToArray()];
        Assert.IsType<TeddyMatcher>(PatternMatcher.Create(oneByte, [.. oneByte.Select(_ => false)]));
        byte[][] nul = [.. few.Take(3), [(byte)'a', 0, (byte)'b']];
        Assert.IsType<TeddyMatcher>(PatternMatcher.Create(nul, [.. nul.Select(_ => false)]));
        Assert.IsType<TeddyOrAutomatonMatcher>(PatternMatcher.Create(many, [.. many.Select(_ => false)]));
        byte[][] mostForFingerprint = [.. Enumerable.Range(0, TeddyOrAutomatonMatcher.Limit).Select(i => Encoding.Latin1.GetBytes($"p{i}x"))];
        Assert.IsType<TeddyOrAutomatonMatcher>(PatternMatcher.Create(mostForFingerprint, [.. mostForFingerprint.Select(_ => false)]));
        byte[][] more = [.. Enumerable.Range(0, TeddyOrAutomatonMatcher.Limit + 1).Select(i => Encoding.Latin1.GetBytes($"p{i}x"))];
        Assert.IsType<AhoCorasickMatcher>(PatternMatcher.Create(more, [.. more.Select(_ => false)]));
        Assert.Null(AhoCorasickMatcher.TryCreate(many, [.. many.Select(_ => false)], budget: 100));
        Assert.Null(TeddyOrAutomatonMatcher.TryCreate(many, [.. many.Select(_ => false)], budget: 100));
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Scan_AutomatonRandomPatternsAndText_EqualsNaiveSearch() => EqualsNaive("ahocorasick");

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Scan_TeddyRandomPatternsAndText_EqualsNaiveSearch() => EqualsNaive("teddy");

    /// <summary>Texts long enough for several vector steps (64 and 32 bytes) and their tails, and more patterns than
    /// buckets, over all byte values: every occurrence is found, whatever the alignment.</summary>
    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Scan_TeddyLongTextManyPatterns_EqualsNaiveSearch() => LongTextEqualsNaive("teddy", 300);

    /// <summary>Texts long enough to be walked in four interleaved parts (and shorter ones): an occurrence across the
    /// boundary of two parts is found as well as one inside a part.</summary>
    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Scan_AutomatonLongTextManyPatterns_EqualsNaiveSearch() => LongTextEqualsNaive("ahocorasick", 700);

    [Theory]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(131)]
    [InlineData(600)]
    [InlineData(1501)]
    public void Scan_AutomatonPatternAcrossEveryPartBoundary_Found(int length)
    {
        // Four parts of length / 4 bytes: plant a pattern across each boundary, and one at each end of the text.
        byte[][] patterns = [.. Enumerable.Range(0, 6).Select(i => Encoding.Latin1.GetBytes($"<{i}pattern{i}>"))];
        var matcher = AhoCorasickMatcher.TryCreate(patterns, [.. patterns.Select(_ => false)], PatternMatcher.AutomatonBudget)!;
        int part = length / 4;
        int[] starts = [0, part - 5, (2 * part) - 1, (3 * part) - 10, length - patterns[4].Length];
        for (int k = 0; k < starts.Length; k++)
        {
            byte[] text = new byte[length];
            Array.Fill(text, (byte)'.');
            patterns[k].CopyTo(text, starts[k]);
            var stamps = new int[patterns.Length];
            var hits = new int[patterns.Length];
            int n = matcher.Scan(text, stamps, 0, 1, hits);
            Assert.Equal([k], hits.Take(n));
        }
    }

    /// <summary>Groups of 65-256 patterns over random bytes and pattern-like texts: whether the fingerprint or the
    /// automaton searches, every occurrence is found exactly once.</summary>
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Scan_TeddyOrAutomatonHundredsOfPatterns_EqualsNaiveSearch() =>
        Prop.ForAll(
            Arb.From(Gen.Choose(PatternMatcher.TeddyLimit + 1, TeddyOrAutomatonMatcher.Limit)),
            Arb.From(Gen.Choose(0, int.MaxValue)),
            Arb.From(Gen.Elements(true, false)),
            (count, seed, textLike) =>
            {
                var random = new Random(seed);
                byte[][] patterns = [.. Enumerable.Range(0, count).Select(_ => RandomPattern(random))];
                bool[] noCase = [.. patterns.Select(_ => random.Next(2) == 0)];
                byte[][] folded = [.. patterns.Select((p, i) => noCase[i] ? ContentItem.Fold(p) : p)];
                // Pattern-like text (pieces of the patterns, some in upper case) goes to the automaton; random bytes
                // to the fingerprint search.
                var text = new List<byte>();
                while (text.Count < 1200)
                {
                    if (textLike)
                    {
                        byte[] piece = patterns[random.Next(count)];
                        text.AddRange(random.Next(3) == 0 ? piece.Select(b => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 0x20) : b) : piece);
                    }
                    else
                    {
                        text.Add((byte)random.Next(256));
                    }
                }
                byte[] t = [.. text];
                var matcher = TeddyOrAutomatonMatcher.TryCreate(folded, noCase, PatternMatcher.AutomatonBudget)!;
                int[] expected = [.. Enumerable.Range(0, count).Where(i => noCase[i]
                    ? ContentItem.IndexOfFolded(t, folded[i]) >= 0
                    : t.AsSpan().IndexOf(folded[i]) >= 0)];
                var stamps = new int[count];
                var hits = new int[count];
                int n = matcher.Scan(t, stamps, 0, 1, hits, out _);
                return expected.SequenceEqual(hits.Take(n).Order());
            });

    [Fact]
    public void Scan_TeddyOrAutomatonBinaryDenseWithCandidates_AutomatonFindsTheRestOnce()
    {
        // 100 binary patterns 01 02 03 NN FE; a payload of 01 02 03 repeated is a candidate at every third position, so
        // the fingerprint's budget runs out after it found pattern 0 (at the start), and the automaton finds pattern
        // 99 (at the end) without reporting pattern 0 again.
        byte[][] patterns = [.. Enumerable.Range(0, 100).Select(i => new byte[] { 1, 2, 3, (byte)i, 0xFE })];
        byte[] text = [.. patterns[0], .. Enumerable.Repeat(new byte[] { 1, 2, 3 }, 400).SelectMany(b => b), .. patterns[99]];
        Assert.False(TeddyOrAutomatonMatcher.LooksLikeText(text));
        (int[] hits, bool usedAutomaton) = ScanTextOrBinary(patterns, text);
        Assert.True(usedAutomaton);
        Assert.Equal([0, 99], hits);
    }

    [Fact]
    public void Scan_TeddyOrAutomatonTextPayload_GoesToTheAutomaton()
    {
        byte[][] patterns = [.. Enumerable.Range(0, 100).Select(i => Encoding.ASCII.GetBytes($"key{i:000}:"))];
        byte[] text = Encoding.ASCII.GetBytes("GET /?key007:1&key042:2 HTTP/1.1\r\nHost: example.com\r\n\r\n");
        (int[] hits, bool usedAutomaton) = ScanTextOrBinary(patterns, text);
        Assert.True(usedAutomaton);
        Assert.Equal([7, 42], hits);
    }

    [Fact]
    public void Create_PatternsAdmittingMostRandomBytes_AutomatonAlone()
    {
        // Text patterns mixed with random three-byte binary ones: the binary ones' buckets admit so many byte triples
        // that the fingerprint would verify patterns at most positions of an encrypted payload.
        var random = new Random(3);
        byte[][] binary = [.. Enumerable.Range(0, 60).Select(i => Encoding.ASCII.GetBytes($"word{i:000}")),
            .. Enumerable.Range(0, 40).Select(_ => new byte[] { (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256) })];
        bool[] noCase = [.. binary.Select(_ => false)];
        Assert.False(TeddyOrAutomatonMatcher.TryCreate(binary, noCase, PatternMatcher.AutomatonBudget)!.PaysOnRandomBytes);
        Assert.IsType<AhoCorasickMatcher>(PatternMatcher.Create(binary, noCase));
        byte[][] words = [.. Enumerable.Range(0, 100).Select(i => Encoding.ASCII.GetBytes($"word{i:000}"))];
        Assert.True(TeddyOrAutomatonMatcher.TryCreate(words, [.. words.Select(_ => false)], PatternMatcher.AutomatonBudget)!.PaysOnRandomBytes);
    }

    [Theory]
    [InlineData("GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n", true)]
    [InlineData("short", true)]
    [InlineData("", true)]
    [InlineData("\u0001\u0002\u0003\u0004\u0080\u0090\u00ff\u00fe", false)]
    public void LooksLikeText_PrintableShare(string payload, bool expected) =>
        Assert.Equal(expected, TeddyOrAutomatonMatcher.LooksLikeText(Encoding.Latin1.GetBytes(payload)));

    [Fact]
    public void LooksLikeText_RandomBytes_False()
    {
        var random = new Random(11);
        for (int i = 0; i < 200; i++)
        {
            byte[] payload = new byte[random.Next(16, 1500)];
            random.NextBytes(payload);
            Assert.False(TeddyOrAutomatonMatcher.LooksLikeText(payload));
        }
    }

    [Fact]
    public void Scan_TeddyOrAutomatonRandomPayload_StaysWithTheFingerprint()
    {
        byte[][] patterns = [.. Enumerable.Range(0, 200).Select(i => Encoding.ASCII.GetBytes($"pattern-{i:000}"))];
        byte[] text = new byte[1400];
        new Random(5).NextBytes(text);
        "pattern-123"u8.CopyTo(text.AsSpan(700));
        (int[] hits, bool usedAutomaton) = ScanTextOrBinary(patterns, text);
        Assert.False(usedAutomaton);
        Assert.Equal([123], hits);
    }

    /// <summary>Case-sensitive patterns through <see cref="TeddyOrAutomatonMatcher"/>: the patterns found, in order, and
    /// whether the automaton searched.</summary>
    private static (int[] Hits, bool UsedAutomaton) ScanTextOrBinary(byte[][] patterns, byte[] text)
    {
        var matcher = TeddyOrAutomatonMatcher.TryCreate(patterns, [.. patterns.Select(_ => false)], PatternMatcher.AutomatonBudget)!;
        var stamps = new int[patterns.Length];
        var hits = new int[patterns.Length];
        int n = matcher.Scan(text, stamps, 0, 1, hits, out bool usedAutomaton);
        return ([.. hits.Take(n).Order()], usedAutomaton);
    }

    private static byte[] RandomPattern(Random random)
    {
        const string alphabet = "abcdefgh:/ 0123";
        byte[] pattern = new byte[random.Next(1, 9)];
        for (int i = 0; i < pattern.Length; i++)
        {
            pattern[i] = random.Next(10) == 0 ? (byte)random.Next(256) : (byte)alphabet[random.Next(alphabet.Length)];
        }
        return pattern;
    }

    private static Property LongTextEqualsNaive(string kind, int longest) =>
        Prop.ForAll(
            Arb.From(Gen.ArrayOf(Gen.Zip(Bytes(1, 6), Gen.Elements(true, false))).Where(a => a.Length is > 0 and <= 40)),
            Arb.From(Bytes(0, longest)),
            Arb.From(Gen.Choose(0, longest - 1)),
            (patterns, text, plant) =>
            {
                // Plant one pattern (in the other case when nocase) so that hits are not only chance.
                byte[] t = [.. text];
                byte[] planted = patterns[plant % patterns.Length].Item1;
                if (t.Length >= planted.Length)
                {
                    int at = plant % (t.Length - planted.Length + 1);
                    for (int i = 0; i < planted.Length; i++)
                    {
                        byte c = planted[i];
                        t[at + i] = patterns[plant % patterns.Length].Item2 && c is >= (byte)'a' and <= (byte)'z' ? (byte)(c - 0x20) : c;
                    }
                }
                byte[][] bytes = [.. patterns.Select(p => p.Item2 ? ContentItem.Fold(p.Item1) : p.Item1)];
                bool[] noCase = [.. patterns.Select(p => p.Item2)];
                PatternMatcher matcher = Create(kind, bytes, noCase);
                int[] expected = [.. Enumerable.Range(0, bytes.Length).Where(i => noCase[i]
                    ? ContentItem.IndexOfFolded(t, bytes[i]) >= 0
                    : t.AsSpan().IndexOf(bytes[i]) >= 0)];
                var stamps = new int[bytes.Length];
                var hits = new int[bytes.Length];
                var buffer = new ScanBuffer(t, new char[t.Length]);
                int n = matcher.Scan(ref buffer, stamps, 0, 1, hits);
                return expected.SequenceEqual(hits.Take(n).Order());
            });

    private static Gen<byte[]> Bytes(int min, int max) =>
        from length in Gen.Choose(min, max)
        from values in Gen.ArrayOf(Gen.OneOf(Gen.Elements("aAbBzZ\0\u00ff\u00e9\u00c9 1".Select(c => (byte)c).ToArray()), Gen.Choose(0, 255).Select(v => (byte)v)), length)
        select values;

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Scan_SearchValuesRandomPatternsAndText_EqualsNaiveSearch() => EqualsNaive("searchvalues");

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Scan_IndexOfEachRandomPatternsAndText_EqualsNaiveSearch() => EqualsNaive("indexofeach");

    private static Property EqualsNaive(string kind) =>
        Prop.ForAll(
            Arb.From(Gen.ArrayOf(Gen.Zip(Word(1, 5), Gen.Elements(true, false))).Where(a => a.Length > 0)),
            Arb.From(Word(0, 60)),
            (patterns, text) =>
            {
                byte[][] bytes = [.. patterns.Select(p => p.Item2 ? ContentItem.Fold(Encoding.Latin1.GetBytes(p.Item1)) : Encoding.Latin1.GetBytes(p.Item1))];
                PatternMatcher matcher = Create(kind, bytes, [.. patterns.Select(p => p.Item2)]);
                byte[] t = Encoding.Latin1.GetBytes(text);
                int[] expected = [.. Enumerable.Range(0, bytes.Length).Where(i => patterns[i].Item2
                    ? ContentItem.IndexOfFolded(t, bytes[i]) >= 0
                    : t.AsSpan().IndexOf(bytes[i]) >= 0)];
                return expected.SequenceEqual(Scan(matcher, text, bytes.Length));
            });

    private static Gen<string> Word(int min, int max) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.ArrayOf(Gen.Elements("aAbB\u00e9\u00c9 1".ToCharArray()), length)
        select new string(chars);
}
