using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Visibility.Engine.Inspection;
using static Visibility.Engine.Tests.Inspection.RuleHarness;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>Rule text: header fields, option syntax, file structure, error positions, robustness.</summary>
public sealed class RuleParserTests
{
    private const string Good = "alert tcp any any -> any 80 (msg:\"m\"; content:\"GET\"; sid:1; rev:2;)";

    [Fact]
    public void Parse_FullRule_ReadsMetadata()
    {
        RuleLoadResult result = RuleParser.Parse(
            "drop udp 10.0.0.0/8 any <> any 53 (msg:\"a \\\"quoted\\\" msg\"; gid:3; sid:42; rev:7; classtype:bad-unknown; reference:url,example.org; metadata:created 2024;)",
            "x.rules");
        Rule rule = Assert.Single(result.Rules);
        Assert.Equal(RuleAction.Drop, rule.Action);
        Assert.Equal(RuleProtocol.Udp, rule.Protocol);
        Assert.Equal("a \"quoted\" msg", rule.Message);
        Assert.Equal((3u, 42u, 7), (rule.Gid, rule.Sid, rule.Rev));
        Assert.Equal("bad-unknown", rule.Classtype);
        Assert.Equal("Potentially Bad Traffic", rule.Category);
        Assert.Equal(2, rule.Priority);
        Assert.Equal(("x.rules", 1), (rule.File, rule.Line));
    }

    [Theory]
    [InlineData("classtype:policy-violation; priority:4;", 4)]
    [InlineData("classtype:policy-violation;", 1)]
    [InlineData("", 3)]
    public void Parse_Priority_OptionThenClasstypeThenDefault(string options, int priority) =>
        Assert.Equal(priority, Assert.Single(RuleParser.Parse($"alert ip any any -> any any ({options} sid:1;)").Rules).Priority);

    [Fact]
    public void Parse_DefaultsGidOneRevZero()
    {
        Rule rule = Assert.Single(RuleParser.Parse("alert ip any any -> any any (sid:5;)").Rules);
        Assert.Equal((1u, 0, string.Empty), (rule.Gid, rule.Rev, rule.Message));
    }

    [Fact]
    public void Parse_FileStructure_CommentsBlankLinesAndContinuations()
    {
        string text = "# header comment\n\n"
            + "   # indented comment\n"
            + "alert tcp any any -> any any (msg:\"two\"; \\\n"
            + "    content:\"x\"; \\\r\n"
            + "    sid:2;)\r\n"
            + "# alert tcp any any -> any any (msg:\"commented\"; \\\n"
            + "    sid:3;)\n"
            + Good + "\n";
        RuleLoadResult result = RuleParser.Parse(text, "f.rules");
        Assert.Empty(result.Errors);
        Assert.Equal([2u, 1u], result.Rules.Select(r => r.Sid));
        Assert.Equal(4, result.Rules[0].Line);
        Assert.Equal(9, result.Rules[1].Line);
    }

    [Fact]
    public void Parse_OneBadRule_OthersLoad()
    {
        RuleLoadResult result = RuleParser.Parse("alert tcp any any -> any any (sid:1;)\nalert foo any any -> any any (sid:2;)\nalert tcp any any -> any any (sid:3;)\n", "f.rules");
        Assert.Equal([1u, 3u], result.Rules.Select(r => r.Sid));
        RuleError error = Assert.Single(result.Errors);
        Assert.Equal(("f.rules", 2, 7), (error.File, error.Line, error.Column));
        Assert.Equal("f.rules:2:7: expected a protocol (ip, tcp, udp, icmp, esp, ike), found 'foo'", error.ToString());
    }

    [Fact]
    public void Parse_DuplicateSid_ErrorAtSecondRuleAcrossFiles()
    {
        var parser = new RuleParser();
        parser.AddText("alert tcp any any -> any any (sid:7;)", "a.rules");
        RuleLoadResult second = parser.AddText("\nalert udp any any -> any any (msg:\"x\"; sid:7;)\nalert udp any any -> any any (gid:2; sid:7;)", "b.rules");
        RuleError error = Assert.Single(second.Errors);
        Assert.Equal(("b.rules", 2, 44), (error.File, error.Line, error.Column));
        Assert.Equal("duplicate sid 7 (gid 1), first defined at a.rules:1", error.Message);
        Assert.Equal(7u, error.Sid);
        Assert.Equal(2, parser.ToResult().Rules.Count);
    }

    [Theory]
    //           1         2         3         4         5
    //  12345678901234567890123456789012345678901234567890123
    [InlineData("alrt tcp any any -> any any (sid:1;)", 1, "expected an action (alert, drop, pass), found 'alrt'")]
    [InlineData("alert tcp any any => any any (sid:1;)", 19, "expected a direction (-> or <>), found '=>'")]
    [InlineData("alert tcp any any -> any", 25, "expected a destination port, found end of rule")]
    [InlineData("alert tcp any any -> any any sid:1;", 30, "expected '(' to open the rule options, found 's'")]
    [InlineData("alert tcp any any -> any any (sid:1;", 37, "expected ')' to close the rule options, found end of rule")]
    [InlineData("alert tcp any any -> any any (sid:1;) x", 39, "expected end of rule after ')', found 'x'")]
    [InlineData("alert tcp 10.0.0.300 any -> any any (sid:1;)", 11, "expected an IPv4 or IPv6 address, found '10.0.0.300'")]
    [InlineData("alert tcp 10.0.0.0/33 any -> any any (sid:1;)", 20, "expected a prefix length 0-32, found '33'")]
    [InlineData("alert tcp [1.1.1.1,2.2.2.2 any -> any any (sid:1;)", 28, "expected ',' or ']' in the list, found 'a'")]
    [InlineData("alert tcp any 70000 -> any any (sid:1;)", 15, "expected a port number 0-65535, found '70000'")]
    [InlineData("alert tcp any 90:80 -> any any (sid:1;)", 15, "port range '90:80' ends before it starts")]
    [InlineData("alert tcp !any any -> any any (sid:1;)", 11, "source address '!any' matches nothing")]
    [InlineData("alert tcp any [80,!80] -> any any (sid:1;)", 15, "source port '[80,!80]' matches nothing")]
    [InlineData("alert icmp any any -> any 80 (sid:1;)", 27, "expected 'any' as a destination port of an icmp rule, found '80'")]
    [InlineData("alert tcp $NOPE any -> any any (sid:1;)", 11, "unknown variable $NOPE")]
    [InlineData("alert tcp any any -> any any (msg:\"x\";)", 30, "expected a 'sid' option (sid:N;) in the rule")]
    [InlineData("alert tcp any any -> any any (sid:0;)", 35, "expected an integer 1-4294967295 for 'sid', found '0'")]
    [InlineData("alert tcp any any -> any any (sid:1; bogus:1;)", 38, "expected a supported keyword, found unknown keyword 'bogus'")]
    [InlineData("alert tcp any any -> any any (sid:1; http.uri; content:\"a\";)", 38, "expected a supported keyword, found unknown keyword 'http.uri'")]
    [InlineData("alert tcp any any -> any any (sid:1; msg \"x\";)", 42, "expected ':' or ';' after 'msg', found '\"'")]
    [InlineData("alert tcp any any -> any any (sid:1; nocase:1;)", 45, "expected ';' after 'nocase', which takes no value")]
    [InlineData("alert tcp any any -> any any (sid:1; content;)", 38, "expected a value for 'content' (content:...;)")]
    [InlineData("alert tcp any any -> any any (sid:1; sid:2;)", 38, "expected one 'sid' per rule")]
    [InlineData("alert tcp any any -> any any (sid:1; classtype:nope;)", 48, "expected a known classtype (policy-violation, bad-unknown, protocol-command-decode, ...), found 'nope'")]
    [InlineData("alert tcp any any -> any any (sid:1; priority:0;)", 47, "expected an integer 1-255 for 'priority', found '0'")]
    [InlineData("alert tcp any any -> any any (sid:1; msg:\"x;)", 42, "expected a closing '\"' in the value of 'msg'")]
    public void Parse_BadRule_ReportsColumnAndExpectation(string rule, int column, string message)
    {
        RuleError error = SingleError(rule);
        Assert.Equal(message, error.Message);
        Assert.Equal((1, column), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_ErrorOnContinuationLine_PointsAtPhysicalLineAndColumn()
    {
        RuleError error = SingleError("alert tcp any any -> any any (msg:\"x\"; \\\n  content:\"a\"; depth:0; \\\n  sid:1;)");
        Assert.Equal((2, 22), (error.Line, error.Column));
        Assert.Equal("expected an integer 1-65535 for 'depth', found '0'", error.Message);
    }

    [Fact]
    public void Parse_VariableWithBadValue_ErrorNamesVariableAtItsUse()
    {
        var variables = new Dictionary<string, string> { ["HOME_NET"] = "[10.0.0.0/8, $INNER]", ["INNER"] = "300.1.1.1" };
        RuleError error = SingleError("alert tcp $HOME_NET any -> any any (sid:1;)", variables);
        Assert.Equal(11, error.Column);
        Assert.Equal("variable $HOME_NET = \"[10.0.0.0/8, $INNER]\": variable $INNER = \"300.1.1.1\": expected an IPv4 or IPv6 address, found '300.1.1.1'", error.Message);
    }

    [Fact]
    public void Parse_CyclicVariables_Error()
    {
        var variables = new Dictionary<string, string> { ["A"] = "[$B]", ["B"] = "!$A" };
        Assert.Contains("variable $A refers to itself", SingleError("alert tcp $A any -> any any (sid:1;)", variables).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LastOptionWithoutSemicolon_Accepted() =>
        Assert.Single(RuleParser.Parse("alert tcp any any -> any any (msg:\"x\"; sid:9)").Rules);

    [Fact]
    public void Parse_QuotedSemicolonInMsg_KeptInValue() =>
        Assert.Equal("a; b", Assert.Single(RuleParser.Parse("alert tcp any any -> any any (msg:\"a; b\"; sid:9;)").Rules).Message);

    [Fact]
    public void Parse_HeaderListsWithSpacesAndNoSpaceBeforeOptions_Accepted() =>
        Assert.Single(RuleParser.Parse("alert tcp [10.0.0.1, 10.0.0.2] [1:2, 80] -> any any(sid:9;)").Rules);

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Parse_RandomText_NeverThrowsAndErrorsHavePositions() =>
        Prop.ForAll(Arb.From(Gen.Elements(s_alphabet).ArrayOf().Select(cs => new string(cs))), text =>
        {
            RuleLoadResult result = RuleParser.Parse(text, "fuzz.rules");
            return result.Errors.All(e => e.Line >= 1 && e.Column >= 1 && e.Message.Length > 0 && e.File == "fuzz.rules");
        });

    [FsCheck.Xunit.Property(MaxTest = 1000)]
    public Property Parse_MutatedRules_NeverThrowAndErrorsHavePositions() =>
        Prop.ForAll(Arb.From(MutatedRule()), text =>
        {
            RuleLoadResult result = RuleParser.Parse(text, "fuzz.rules");
            int lines = text.Split('\n').Length;
            return result.Errors.All(e => e.Line >= 1 && e.Line <= lines && e.Column >= 1 && e.Message.Length > 0)
                && result.Rules.Count + result.Errors.Count <= lines;
        });

    private static readonly char[] s_alphabet = "alert tcp udp any -> <> !$[],:;()\"|\\/0123456789abcdefx.#\n sid msg content pcre".ToCharArray();

    private static readonly string[] s_seeds =
    [
        Good,
        "alert ip [10.0.0.0/8,!10.1.0.0/16] ![1:1024,8080] <> $HOME_NET any (msg:\"m\"; content:!\"|00 01|x\"; offset:1; depth:4; sid:2;)",
        "pass udp any any -> any 53 (pcre:\"/ab+c/iR\"; dsize:10<>20; flow:to_server,established; sid:3;)",
        "alert esp any any -> any any (esp.spi:>0x10; esp.verdict:null; esp.icv_len:12; esp.encap:wesp-udp; sid:4;)",
        "alert ike any any -> any any (ike.exchange:IKE_SA_INIT; ike.notify:REDIRECT; ike.redirect_gateway; content:\"vpn\"; sid:5;)",
        "alert ip any any -> any any (decode-event:ipv4.trunc_pkt; threshold:type limit, track by_src, count 1, seconds 60; sid:6;)",
        "alert tcp any any -> any any (content:\"a\"; content:\"b\"; distance:-1; within:3; detection_filter:track by_dst, count 2, seconds 5; sid:7;)",
    ];

    private static Gen<string> MutatedRule() =>
        from seed in Gen.Elements(s_seeds)
        from edits in Gen.Choose(1, 6)
        from ops in Gen.ArrayOf(
            from op in Gen.Choose(0, 3)
            from position in Gen.Choose(0, 1000)
            from c in Gen.Elements(s_alphabet)
            select (op, position, c), edits)
        select Mutate(seed, ops);

    private static string Mutate(string seed, (int Op, int Position, char C)[] ops)
    {
        var text = new System.Text.StringBuilder(seed);
        foreach ((int op, int position, char c) in ops)
        {
            int at = text.Length == 0 ? 0 : position % text.Length;
            switch (op)
            {
                case 0 when text.Length > 0: text.Remove(at, 1); break;
                case 1: text.Insert(at, c); break;
                case 2 when text.Length > 0: text[at] = c; break;
                default: text.Length = at; break;
            }
        }
        return text.ToString();
    }
}
