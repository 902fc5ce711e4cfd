using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Visibility.Engine.Inspection;
using Visibility.Engine.Inspection.Prefilter;
using Visibility.Wire;
using static Visibility.Engine.Tests.Inspection.RuleHarness;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>Compilation into buckets and prefilter groups, checked against evaluating every rule.</summary>
public sealed class RuleSetTests
{
    private const string Alphabet = "abcAB|x ";

    [Fact]
    public void Compile_BucketsByProtocolAndPort()
    {
        RuleSet set = Compile("""
            alert tcp any any -> any 80 (content:"a"; sid:1;)
            alert tcp any [25,587] -> any any (content:"b"; sid:2;)
            alert tcp any any -> any 1024: (content:"c"; sid:3;)
            alert udp any any -> any 53 (sid:4;)
            alert ip any any -> any any (sid:5;)
            alert icmp any any -> any any (sid:6;)
            """);
        ProtocolBucket tcp = set.Buckets[(int)InspectionProtocol.Tcp];
        Assert.Equal(new ushort[] { 80 }, tcp.ByDestinationPort.Keys);
        Assert.Equal(new ushort[] { 25, 587 }, tcp.BySourcePort.Keys.Order());
        Assert.Equal(2, tcp.Generic.SignatureCount);
        Assert.Equal(new ushort[] { 53 }, set.Buckets[(int)InspectionProtocol.Udp].ByDestinationPort.Keys);
        Assert.Equal(new ushort[] { 53 }, set.Buckets[(int)InspectionProtocol.Ike].ByDestinationPort.Keys);
        Assert.Equal(2, set.Buckets[(int)InspectionProtocol.Icmp].Generic.SignatureCount);
        Assert.Equal(1, set.Buckets[(int)InspectionProtocol.Other].Generic.SignatureCount);
    }

    [Fact]
    public void Compile_SharedFastPatterns_OnePatternManySignatures()
    {
        RuleSet set = Compile("""
            alert tcp any any -> any any (content:"same"; sid:1;)
            alert tcp any any -> any any (content:"same"; content:"x"; sid:2;)
            alert tcp any any -> any any (content:"SAME"; nocase; sid:3;)
            alert tcp any any -> any any (content:"x"; content:"longer"; sid:4;)
            """);
        SignatureGroup group = set.Buckets[(int)InspectionProtocol.Tcp].Generic;
        Assert.Equal(3, group.Matcher!.PatternCount);
        Assert.Equal([1u, 2u, 3u], MatchTcp("alert tcp any any -> any any (content:\"same\"; sid:1;)\nalert tcp any any -> any any (content:\"same\"; content:\"x\"; sid:2;)\nalert tcp any any -> any any (content:\"SAME\"; nocase; sid:3;)", "x same"));
        Assert.Equal([3u], MatchTcp("alert tcp any any -> any any (content:\"same\"; sid:1;)\nalert tcp any any -> any any (content:\"SAME\"; nocase; sid:3;)", "SaMe"));
    }

    [Fact]
    public void Compile_FastPatternKeyword_OverridesLongest()
    {
        RuleSet set = Compile("alert tcp any any -> any any (content:\"longest-one\"; content:\"ab\"; fast_pattern; sid:1;)");
        Assert.Equal("ab"u8.ToArray(), set.Rules[0].Signature!.FastPattern!.Pattern);
    }

    [Fact]
    public void Compile_MidSizeGroup_FingerprintOrAutomaton()
    {
        string rules = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"alert tcp any any -> any any (content:\"pattern{i}\"; sid:{i};)"));
        RuleSet set = Compile(rules);
        Assert.IsType<TeddyOrAutomatonMatcher>(set.Buckets[(int)InspectionProtocol.Tcp].Generic.Matcher);
        Assert.Equal([7u, 70u], Match(set, Tcp("pattern7 and pattern70"u8.ToArray())));
        byte[] binary = [0x80, 0x81, .. "pattern7"u8, 0x00, 0xFF, 0xFE, .. "pattern70"u8, 0x90];
        Assert.Equal([7u, 70u], Match(set, Tcp(binary)));
    }

    [Fact]
    public void Compile_LargeGroup_UsesAutomaton()
    {
        string rules = string.Join("\n", Enumerable.Range(1, 300).Select(i => $"alert tcp any any -> any any (content:\"pattern{i}\"; sid:{i};)"));
        RuleSet set = Compile(rules);
        Assert.IsType<AhoCorasickMatcher>(set.Buckets[(int)InspectionProtocol.Tcp].Generic.Matcher);
        Assert.Equal([2u, 7u, 27u, 70u, 270u], Match(set, Tcp("pattern7 and pattern70 and pattern270"u8.ToArray())));
    }

    [Fact]
    public void MayMatch_PortAndAnomalyRules_OnlyForTheirPortsProtocolsAndAnomalies()
    {
        RuleSet set = Compile("""
            alert tcp any any -> any 80 (content:"a"; sid:1;)
            alert tcp any 23 -> any any (content:"b"; sid:2;)
            alert ip any any -> any any (decode-event:ipv4.pkt_too_small; sid:3;)
            """);
        Assert.True(set.MayMatch(InspectionProtocol.Tcp, EspEncapsulation.None, 40000, 80, DecodeAnomaly.None));
        Assert.True(set.MayMatch(InspectionProtocol.Tcp, EspEncapsulation.None, 23, 40000, DecodeAnomaly.None));
        Assert.False(set.MayMatch(InspectionProtocol.Tcp, EspEncapsulation.None, 80, 443, DecodeAnomaly.None));
        Assert.False(set.MayMatch(InspectionProtocol.Udp, EspEncapsulation.None, 40000, 80, DecodeAnomaly.None));
        Assert.False(set.MayMatch(InspectionProtocol.Esp, EspEncapsulation.None, 0, 0, DecodeAnomaly.None));
        Assert.True(set.MayMatch(InspectionProtocol.Other, EspEncapsulation.None, 0, 0, DecodeAnomaly.IPv4PacketTooSmall));
        Assert.False(RuleSet.Empty.MayMatch(InspectionProtocol.Tcp, EspEncapsulation.None, 40000, 80, DecodeAnomaly.IPv4PacketTooSmall));
    }

    [Fact]
    public void MayMatch_IpAnyRule_EveryPacket()
    {
        RuleSet set = Compile("alert ip any any -> any any (content:\"x\"; sid:1;)");
        Assert.True(set.MayMatch(InspectionProtocol.Esp, EspEncapsulation.None, 0, 0, DecodeAnomaly.None));
        Assert.True(set.MayMatch(InspectionProtocol.Icmp, EspEncapsulation.None, 0, 0, DecodeAnomaly.None));
    }

    [Fact]
    public void Empty_EvaluatesNothing()
    {
        var collector = new ListCollector();
        RuleSet.Empty.Evaluate(Tcp("x"u8.ToArray()).ToContext(), ref collector);
        Assert.Empty(collector.Matches);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Evaluate_Prefiltered_EqualsEveryRuleEvaluated() =>
        Prop.ForAll(Arb.From(RuleSetGen()), Arb.From(Gen.ArrayOf(PacketGen(), 25)), (rules, packets) =>
        {
            RuleLoadResult parsed = RuleParser.Parse(string.Join("\n", rules), "gen.rules");
            if (parsed.Errors.Count > 0)
            {
                return false.Label(string.Join("\n", parsed.Errors));
            }
            RuleSet set = RuleSet.Compile(parsed.Rules);
            RuleEvaluator fast = set.CreateEvaluator();
            RuleEvaluator naive = set.CreateEvaluator();
            foreach (ContextSpec packet in packets)
            {
                var a = new ListCollector();
                var b = new ListCollector();
                fast.Evaluate(packet.ToContext(), ref a);
                naive.EvaluateUnfiltered(packet.ToContext(), ref b);
                bool may = set.MayMatch(packet.Protocol, packet.Encapsulation, packet.SourcePort, packet.DestinationPort, packet.Anomaly);
                if (!may && b.Matches.Count > 0)
                {
                    return false.Label($"MayMatch false for {packet.Protocol} {packet.SourcePort}->{packet.DestinationPort}, yet [{string.Join(",", b.Matches.Select(m => m.Sid))}] match");
                }
                if (!a.Matches.Select(m => m.Sid).SequenceEqual(b.Matches.Select(m => m.Sid)))
                {
                    return false.Label($"payload '{Encoding.Latin1.GetString(packet.Payload)}' ports {packet.SourcePort}->{packet.DestinationPort}: "
                        + $"prefiltered [{string.Join(",", a.Matches.Select(m => m.Sid))}] vs all [{string.Join(",", b.Matches.Select(m => m.Sid))}]");
                }
            }
            return true.ToProperty();
        });

    private static Gen<string> Token(int max) =>
        from length in Gen.Choose(1, max)
        from chars in Gen.ArrayOf(Gen.Elements(Alphabet.Replace("|", string.Empty, StringComparison.Ordinal).ToCharArray()), length)
        select new string(chars);

    private static Gen<string> ContentOption() =>
        from token in Token(3)
        from negated in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
        from nocase in Gen.Elements(true, false)
        from modifier in Gen.Elements("", " offset:1;", " depth:4;", " distance:0;", " within:4;", " distance:-1;", " distance:1; within:5;")
        select $"content:{(negated ? "!" : string.Empty)}\"{token}\";{(nocase ? " nocase;" : string.Empty)}{modifier}";

    private static Gen<string> RuleGen() =>
        from action in Gen.Frequency((8, Gen.Constant("alert")), (1, Gen.Constant("pass")), (1, Gen.Constant("drop")))
        from proto in Gen.Elements("tcp", "udp", "ip")
        from sourcePort in Gen.Elements("any", "any", "1234", "[1000:2000]")
        from direction in Gen.Elements("->", "->", "<>")
        from destinationPort in Gen.Elements("any", "any", "80", "[80,443]", "!53", "53")
        from count in Gen.Choose(0, 3)
        from contents in Gen.ArrayOf(ContentOption(), count)
        from pcre in Gen.Frequency((5, Gen.Constant(string.Empty)), (1, Gen.Constant(" pcre:\"/a[bc]/i\";")))
        from dsize in Gen.Frequency((5, Gen.Constant(string.Empty)), (1, Gen.Constant(" dsize:>3;")))
        select $"{action} {proto} any {sourcePort} {direction} any {destinationPort} ({string.Join(" ", contents)}{pcre}{dsize} sid:SID;)";

    private static Gen<string[]> RuleSetGen() =>
        from count in Gen.Frequency((3, Gen.Choose(1, 30)), (1, Gen.Choose(70, 140)))
        from rules in Gen.ArrayOf(RuleGen(), count)
        select rules.Select((r, i) => r.Replace("SID", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToArray();

    private static Gen<ContextSpec> PacketGen() =>
        from length in Gen.Choose(0, 40)
        from chars in Gen.ArrayOf(Gen.Elements(Alphabet.ToCharArray()), length)
        from protocol in Gen.Elements(InspectionProtocol.Tcp, InspectionProtocol.Udp, InspectionProtocol.Ike, InspectionProtocol.Icmp)
        from sourcePort in Gen.Elements<ushort>(1234, 80, 53, 1500)
        from destinationPort in Gen.Elements<ushort>(80, 443, 53, 8080)
        select new ContextSpec
        {
            Protocol = protocol,
            Source = Client,
            Destination = Server,
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
            Payload = Encoding.Latin1.GetBytes(chars),
            Encapsulation = EspEncapsulation.None,
        };
}
