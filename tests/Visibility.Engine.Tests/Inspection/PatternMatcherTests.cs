using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Prefilter;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>Both prefilter implementations report exactly the patterns that occur, with ASCII-only case folding.</summary>
public sealed class PatternMatcherTests
{
    public static TheoryData<string> Kinds => ["searchvalues", "ahocorasick", "indexofeach"];

    private static PatternMatcher Create(string kind, byte[][] patterns, bool[] noCase) => kind switch
    {
        "searchvalues" => new SearchValuesMatcher(patterns, noCase),
        "indexofeach" => new IndexOfEachMatcher(patterns, noCase),
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
        byte[][] few = [.. Enumerable.Range(0, PatternMatcher.SearchValuesLimit).Select(i => Encoding.Latin1.GetBytes($"p{i}x"))];
        byte[][] many = [.. Enumerable.Range(0, PatternMatcher.SearchValuesLimit + 1).Select(i => Encoding.Latin1.GetBytes($"p{i}x"))];
        byte[][] latin1 = [.. few.Take(3), [0xE9, (byte)'t', (byte)'e']];
        Assert.IsType<SearchValuesMatcher>(PatternMatcher.Create(few, [.. few.Select(_ => false)]));
        Assert.IsType<SearchValuesMatcher>(PatternMatcher.Create(few, [.. few.Select((_, i) => i == 0)]));
        Assert.IsType<AhoCorasickMatcher>(PatternMatcher.Create(latin1, [.. latin1.Select(_ => false)]));
        byte[][] oneByte = [.. few.Take(3), "x"u8.ToArray()];
        Assert.IsType<AhoCorasickMatcher>(PatternMatcher.Create(oneByte, [.. oneByte.Select(_ => false)]));
        byte[][] nul = [.. few.Take(3), [(byte)'a', 0, (byte)'b']];
        Assert.IsType<AhoCorasickMatcher>(PatternMatcher.Create(nul, [.. nul.Select(_ => false)]));
        Assert.IsType<AhoCorasickMatcher>(PatternMatcher.Create(many, [.. many.Select(_ => false)]));
        Assert.Null(AhoCorasickMatcher.TryCreate(many, [.. many.Select(_ => false)], budget: 100));
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Scan_AutomatonRandomPatternsAndText_EqualsNaiveSearch() => EqualsNaive("ahocorasick");

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
