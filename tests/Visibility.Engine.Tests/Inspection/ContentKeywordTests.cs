using Visibility.Engine.Inspection;
using static Visibility.Engine.Tests.Inspection.RuleHarness;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>content and its modifiers (nocase, offset, depth, distance, within, negation, hex), with Suricata's
/// position rules.</summary>
public sealed class ContentKeywordTests
{
    private static bool Matches(string options, string payload) =>
        MatchTcp($"alert tcp any any -> any any ({options} sid:1;)", payload).Length == 1;

    [Theory]
    // plain content anywhere
    [InlineData("content:\"abc\";", "xxabcxx", true)]
    [InlineData("content:\"abc\";", "xxabxcx", false)]
    [InlineData("content:\"abc\";", "", false)]
    // case
    [InlineData("content:\"ABC\";", "xxabcxx", false)]
    [InlineData("content:\"ABC\"; nocase;", "xxabcxx", true)]
    [InlineData("content:\"abc\"; nocase;", "xxAbCxx", true)]
    [InlineData("content:\"a1-\"; nocase;", "A1-", true)]
    // hex and escapes
    [InlineData("content:\"|41 42|C\";", "ABC", true)]
    [InlineData("content:\"|4142|\";", "xAB", true)]
    [InlineData("content:\"a\\;b\";", "a;b", true)]
    [InlineData("content:\"a\\\"b\";", "a\"b", true)]
    [InlineData("content:\"a\\\\b\";", "a\\b", true)]
    [InlineData("content:\"a\\:b\";", "a:b", true)]
    // offset: start at or after byte N
    [InlineData("content:\"abc\"; offset:2;", "xxabc", true)]
    [InlineData("content:\"abc\"; offset:3;", "xxabc", false)]
    [InlineData("content:\"abc\"; offset:3;", "xxabcabc", true)]
    // depth: counted from the start, content fully inside
    [InlineData("content:\"abc\"; depth:3;", "abcxx", true)]
    [InlineData("content:\"abc\"; depth:4;", "xabc", true)]
    [InlineData("content:\"abc\"; depth:3;", "xabc", false)]
    // depth counted from offset: offset 2, depth 3 = bytes 2..4
    [InlineData("content:\"abc\"; offset:2; depth:3;", "xxabcxx", true)]
    [InlineData("content:\"abc\"; offset:2; depth:3;", "xxxabcx", false)]
    [InlineData("content:\"abc\"; depth:3; offset:2;", "xxabcxx", true)]
    [InlineData("content:\"abc\"; offset:2; depth:4;", "xxxabcx", true)]
    // distance: relative to the end of the previous match
    [InlineData("content:\"ab\"; content:\"cd\"; distance:0;", "abcd", true)]
    [InlineData("content:\"ab\"; content:\"cd\"; distance:1;", "abcd", false)]
    [InlineData("content:\"ab\"; content:\"cd\"; distance:1;", "abxcd", true)]
    [InlineData("content:\"cd\"; content:\"ab\"; distance:0;", "abcd", false)]
    // within: the next content ends inside N bytes of the previous end
    [InlineData("content:\"ab\"; content:\"cd\"; within:2;", "abcd", true)]
    [InlineData("content:\"ab\"; content:\"cd\"; within:2;", "abxcd", false)]
    [InlineData("content:\"ab\"; content:\"cd\"; within:3;", "abxcd", true)]
    // within counted from distance
    [InlineData("content:\"ab\"; content:\"cd\"; distance:1; within:2;", "abxcd", true)]
    [InlineData("content:\"ab\"; content:\"cd\"; distance:1; within:2;", "abxxcd", false)]
    // negative distance: the next content may start before the previous end
    [InlineData("content:\"abc\"; content:\"bc\"; distance:-2; within:2;", "abc", true)]
    [InlineData("content:\"abc\"; content:\"ab\"; distance:-3; within:2;", "abc", true)]
    [InlineData("content:\"abc\"; content:\"ab\"; distance:-2; within:2;", "abc", false)]
    [InlineData("content:\"bc\"; content:\"ab\"; distance:-5;", "abc", true)]
    // relative matches backtrack to a later occurrence of the earlier content
    [InlineData("content:\"a\"; content:\"b\"; distance:0; within:1;", "axxab", true)]
    [InlineData("content:\"a\"; content:\"b\"; content:\"c\"; distance:0; within:1;", "a b xc bc", true)]
    [InlineData("content:\"a=\"; content:\"1\"; within:1; content:\"2\"; within:1;", "a=1x a=12", true)]
    [InlineData("content:\"a=\"; content:\"1\"; within:1; content:\"2\"; within:1;", "a=1x a=13", false)]
    // a relative first content is relative to the start of the buffer
    [InlineData("content:\"ab\"; distance:1;", "ab", false)]
    [InlineData("content:\"ab\"; distance:1;", "xab", true)]
    [InlineData("content:\"ab\"; within:2;", "ab", true)]
    [InlineData("content:\"ab\"; within:2;", "xab", false)]
    // negated content
    [InlineData("content:!\"evil\";", "good", true)]
    [InlineData("content:!\"evil\";", "so evil", false)]
    [InlineData("content:\"USER\"; content:!\"anonymous\"; distance:0;", "USER bob", true)]
    [InlineData("content:\"USER\"; content:!\"anonymous\"; distance:0;", "USER anonymous", false)]
    [InlineData("content:\"USER\"; content:!\"x\"; within:2; content:\"z\"; distance:0;", "USER z", true)]
    [InlineData("content:\"USER\"; content:!\"x\"; within:2; content:\"z\"; distance:0;", "USER xz", false)]
    [InlineData("content:!\"abc\"; depth:3;", "xabc", true)]
    [InlineData("content:!\"abc\"; depth:3;", "abcx", false)]
    // several absolute contents, any order
    [InlineData("content:\"world\"; content:\"hello\";", "hello world", true)]
    // fast_pattern does not change matching
    [InlineData("content:\"GET\"; depth:3; content:\"/admin\"; fast_pattern;", "GET /admin", true)]
    [InlineData("content:\"GET\"; depth:3; content:\"/admin\"; fast_pattern;", "PUT /admin", false)]
    public void Content_Table_MatchesAsSuricata(string options, string payload, bool expected) =>
        Assert.Equal(expected, Matches(options, payload));

    [Fact]
    public void Content_NocaseFoldsAsciiOnly_LatinOneLettersStayDistinct()
    {
        Assert.Single(MatchTcp("alert tcp any any -> any any (content:\"|E9|\"; nocase; sid:1;)", [0xE9]));
        Assert.Empty(MatchTcp("alert tcp any any -> any any (content:\"|E9|\"; nocase; sid:1;)", [0xC9]));
    }

    [Fact]
    public void Content_NonAsciiRuleText_MatchesUtf8Bytes() =>
        Assert.Single(MatchTcp("alert tcp any any -> any any (content:\"é\"; sid:1;)", [0x78, 0xC3, 0xA9]));

    [Fact]
    public void Content_BinaryPayload_HexMatches()
    {
        byte[] payload = [0x00, 0xFF, 0x10, 0x20, 0x00];
        Assert.Single(MatchTcp("alert tcp any any -> any any (content:\"|FF 10 20|\"; offset:1; depth:3; sid:1;)", payload));
        Assert.Empty(MatchTcp("alert tcp any any -> any any (content:\"|FF 10 20|\"; offset:2; sid:1;)", payload));
    }

    [Theory]
    [InlineData("content:\"ab\"; depth:1;", "expected depth of at least the content length (2), found 1")]
    [InlineData("content:\"ab\"; within:1;", "expected within of at least the content length (2), found 1")]
    [InlineData("nocase;", "expected a content before 'nocase'")]
    [InlineData("content:\"ab\"; offset:1; distance:1;", "expected distance/within or offset/depth on one content, not both ('distance' after offset/depth)")]
    [InlineData("content:\"ab\"; within:4; depth:4;", "expected distance/within or offset/depth on one content, not both ('depth' after distance/within)")]
    [InlineData("content:\"ab\"; nocase; nocase;", "expected one 'nocase' per content")]
    [InlineData("content:ab;", "expected a quoted string (content:\"...\")")]
    [InlineData("content:\"\";", "expected at least one byte in content")]
    [InlineData("content:\"|4|\";", "expected an even number of hex digits in the hex section")]
    [InlineData("content:\"|4G|\";", "expected a hex digit or '|' in the hex section, found 'G'")]
    [InlineData("content:\"|41\";", "expected '|' to close the hex section")]
    [InlineData("content:\"a\\x\";", "expected one of \\\" \\\\ \\; \\: \\| (use |hex| for other bytes), found '\\x'")]
    [InlineData("content:!\"a\"; fast_pattern;", "expected fast_pattern on a positive payload content")]
    [InlineData("content:\"ab\"; offset:-1;", "expected an integer 0-65535 for 'offset', found '-1'")]
    public void Content_BadModifiers_ReportWhatWasExpected(string options, string message)
    {
        RuleError error = SingleError($"alert tcp any any -> any any ({options} sid:1;)");
        Assert.Equal(message, error.Message);
    }
}
