using System.Text;
using Visibility.Engine.Inspection;
using Visibility.Wire;
using static Visibility.Engine.Tests.Inspection.RuleHarness;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>Per-packet evaluation: action order, pass suppression, one match per signature, inspectors,
/// thresholds, and the no-allocation guarantee.</summary>
public sealed class RuleEvaluatorTests
{
    [Fact]
    public void Evaluate_PassMatches_SuppressesAlertAndDropOfSamePacket()
    {
        const string Rules = """
            alert tcp any any -> any any (content:"secret"; sid:10;)
            drop tcp any any -> any any (content:"secret"; sid:11;)
            pass tcp 10.0.0.1 any -> any any (content:"secret"; sid:12;)
            alert tcp any any -> any any (content:"other"; sid:13;)
            """;
        var collector = new ListCollector();
        Compile(Rules).CreateEvaluator().Evaluate(Tcp("a secret and other"u8.ToArray()).ToContext(), ref collector);
        Assert.Equal([(12u, RuleAction.Pass)], collector.Matches.Select(m => (m.Sid, m.Action)));

        // From another source the pass rule does not match and everything else is reported, drop before alert.
        var fromElsewhere = new ListCollector();
        Compile(Rules).CreateEvaluator().Evaluate(
            (Tcp("a secret and other"u8.ToArray()) with { Source = NetworkAddress.Parse("10.0.0.2") }).ToContext(), ref fromElsewhere);
        Assert.Equal([11u, 10u, 13u], fromElsewhere.Matches.Select(m => m.Sid));
    }

    [Fact]
    public void Evaluate_Order_ActionThenPriorityThenSid()
    {
        const string Rules = """
            alert ip any any -> any any (priority:3; sid:1;)
            alert ip any any -> any any (priority:1; sid:9;)
            alert ip any any -> any any (priority:1; sid:5;)
            drop ip any any -> any any (priority:4; sid:7;)
            """;
        Assert.Equal([7u, 5u, 9u, 1u], Match(Rules, new ContextSpec()));
    }

    [Fact]
    public void Evaluate_SignatureSeenThroughSeveralBuckets_ReportedOnce()
    {
        // <> with a port puts the rule in both the destination- and source-port groups; the pattern occurs twice.
        const string Rules = "alert tcp any any <> any 80 (content:\"ab\"; sid:1;)\nalert ip any any -> any any (content:\"ab\"; sid:2;)";
        var spec = Tcp("ab ab"u8.ToArray()) with { SourcePort = 80, DestinationPort = 80 };
        Assert.Equal([1u, 2u], Match(Rules, spec));
    }

    [Fact]
    public void Evaluate_SameEvaluatorManyPackets_NoStateLeaksBetweenPackets()
    {
        RuleEvaluator evaluator = Compile("alert tcp any any -> any any (content:\"x\"; sid:1;)\nalert tcp any any -> any any (dsize:0; sid:2;)").CreateEvaluator();
        for (int i = 0; i < 100; i++)
        {
            var collector = new ListCollector();
            ContextSpec spec = Tcp(i % 2 == 0 ? "x"u8.ToArray() : []);
            evaluator.Evaluate(spec.ToContext(), ref collector);
            Assert.Equal(i % 2 == 0 ? [1u] : [2u], collector.Matches.Select(m => m.Sid));
        }
    }

    [Fact]
    public void Evaluate_PayloadLargerThanScratch_Grows()
    {
        byte[] big = new byte[70_000];
        "needle"u8.CopyTo(big.AsSpan(69_000));
        Assert.Single(MatchTcp("alert tcp any any -> any any (content:\"needle\"; pcre:\"/needle$/\"; sid:1;)", big[..69_006]));
    }

    [Fact]
    public void Inspector_Raises_GoesThroughOrderingAndPassSuppression()
    {
        var inspector = new LengthInspector();
        RuleLoadResult parsed = RuleParser.Parse("alert tcp any any -> any any (content:\"x\"; sid:1;)\npass tcp any any -> any any (content:\"ok\"; sid:2;)");
        RuleSet set = RuleSet.Compile(parsed.Rules, [inspector]);
        Assert.Equal(3, set.Count);

        var collector = new ListCollector();
        set.CreateEvaluator().Evaluate(Tcp(Encoding.Latin1.GetBytes("x" + new string('y', 99))).ToContext(), ref collector);
        Assert.Equal([1u, 900001u], collector.Matches.Select(m => m.Sid).Order());
        Assert.Equal("LONG", collector.Matches.Single(m => m.Sid == 900001).Rule.Message);

        var passed = new ListCollector();
        set.CreateEvaluator().Evaluate(Tcp(Encoding.Latin1.GetBytes("ok" + new string('y', 99))).ToContext(), ref passed);
        Assert.Equal([2u], passed.Matches.Select(m => m.Sid));

        var udp = new ListCollector();
        set.CreateEvaluator().Evaluate((Tcp(new byte[200]) with { Protocol = InspectionProtocol.Udp }).ToContext(), ref udp);
        Assert.Empty(udp.Matches);
    }

    [Fact]
    public void Inspector_Throws_CountedAndPacketContinues()
    {
        RuleSet set = RuleSet.Compile(RuleParser.Parse("alert tcp any any -> any any (sid:1;)").Rules, [new ThrowingInspector()]);
        RuleEvaluator evaluator = set.CreateEvaluator();
        var collector = new ListCollector();
        evaluator.Evaluate(Tcp([]).ToContext(), ref collector);
        Assert.Equal([1u], collector.Matches.Select(m => m.Sid));
        Assert.Equal(1, evaluator.InspectorFailures);
    }

    [Fact]
    public void Inspector_DuplicateSidWithRules_Rejected() =>
        Assert.Throws<ArgumentException>(() => RuleSet.Compile(RuleParser.Parse("alert tcp any any -> any any (sid:900001;)").Rules, [new LengthInspector()]));

    [Fact]
    public void Threshold_Limit_FirstCountPerWindowPerSource()
    {
        RuleEvaluator evaluator = Compile("alert tcp any any -> any any (threshold:type limit, track by_src, count 2, seconds 10; sid:1;)").CreateEvaluator();
        bool[] alerts = [.. new long[] { 0, 1, 2, 10, 11, 12 }.Select(s => Hit(evaluator, s))];
        Assert.Equal([true, true, false, false, true, true], alerts);
        Assert.True(Hit(evaluator, 12, NetworkAddress.Parse("10.9.9.9")));
    }

    [Fact]
    public void Threshold_Threshold_EveryNth()
    {
        RuleEvaluator evaluator = Compile("alert tcp any any -> any any (threshold:type threshold, track by_dst, count 3, seconds 60; sid:1;)").CreateEvaluator();
        Assert.Equal([false, false, true, false, false, true], [.. Enumerable.Range(0, 6).Select(i => Hit(evaluator, i))]);
    }

    [Fact]
    public void Threshold_Both_OncePerWindowAtNth()
    {
        RuleEvaluator evaluator = Compile("alert tcp any any -> any any (threshold:type both, track by_rule, count 2, seconds 5; sid:1;)").CreateEvaluator();
        Assert.Equal([false, true, false, false, false, true], [.. new long[] { 0, 1, 2, 3, 6, 7 }.Select(s => Hit(evaluator, s))]);
    }

    [Fact]
    public void DetectionFilter_AlertsAfterCount()
    {
        RuleEvaluator evaluator = Compile("alert tcp any any -> any any (detection_filter:track by_src, count 2, seconds 5; sid:1;)").CreateEvaluator();
        Assert.Equal([false, false, true, true, false, false, true], [.. new long[] { 0, 1, 2, 3, 9, 10, 11 }.Select(s => Hit(evaluator, s))]);
    }

    [Theory]
    [InlineData("threshold:type limit, track by_src, count 1;", "expected all of type, track, count and seconds")]
    [InlineData("threshold:type sometimes, track by_src, count 1, seconds 1;", "expected type limit, threshold or both, found 'sometimes'")]
    [InlineData("threshold:type limit, track by_flow, count 1, seconds 1;", "expected track by_src, by_dst, by_rule or by_both, found 'by_flow'")]
    [InlineData("threshold:type limit, track by_src, count 0, seconds 1;", "expected an integer of at least 1, found '0'")]
    [InlineData("detection_filter:type limit, track by_src, count 1, seconds 1;", "expected track, count or seconds once each, found 'type'")]
    [InlineData("threshold:type limit, type limit, track by_src, count 1, seconds 1;", "expected type, track, count or seconds once each, found 'type'")]
    public void Threshold_BadValue_Error(string options, string message) =>
        Assert.Equal(message, SingleError($"alert ip any any -> any any ({options} sid:1;)").Message);

    [Fact]
    public void Threshold_TableFull_EvictsOldestAndStaysBounded()
    {
        RuleLoadResult parsed = RuleParser.Parse("alert tcp any any -> any any (threshold:type limit, track by_src, count 1, seconds 1000; sid:1;)");
        RuleEvaluator evaluator = RuleSet.Compile(parsed.Rules, thresholdCapacity: 16).CreateEvaluator();
        for (uint i = 0; i < 1000; i++)
        {
            Assert.True(Hit(evaluator, i, NetworkAddress.FromIPv4(0x0A000000 + i)));
        }
        Assert.True(evaluator.ThresholdEvictions > 900);
    }

    [Fact]
    public void Evaluate_SteadyState_DoesNotAllocate()
    {
        const string Rules = """
            alert tcp any any -> any $HTTP_PORTS (content:"Authorization|3a| Basic "; nocase; esp.verdict:null; sid:1;)
            alert tcp any any -> any any (content:"GET"; depth:3; content:"HTTP/1."; distance:0; pcre:"/^Host: [a-z.]+/mi"; sid:2;)
            alert tcp any any -> any any (content:"x-"; content:!"y"; within:4; dsize:>10; flow:to_server; sid:3;)
            alert ip any any -> any any (decode-event:ipv4.trunc_pkt; sid:4;)
            alert tcp any any -> any any (content:"Host"; threshold:type limit, track by_src, count 1, seconds 1; sid:5;)
            pass tcp 10.9.9.9 any -> any any (content:"GET"; sid:6;)
            """;
        RuleSet set = RuleSet.Compile(RuleParser.Parse(Rules, variables: new Dictionary<string, string> { ["HTTP_PORTS"] = "[80,8080]" }).Rules, [new LengthInspector()]);
        RuleEvaluator evaluator = set.CreateEvaluator();
        byte[] payload = Encoding.Latin1.GetBytes("GET / HTTP/1.1\r\nHost: example.org\r\nAuthorization: basic abc\r\nx-z: 1\r\n\r\n" + new string('p', 120));
        ushort[] notifies = [16407];
        var collector = new CountingCollector();
        for (int i = 0; i < 50; i++)
        {
            Run(evaluator, payload, notifies, i, ref collector);
        }
        int before = collector.Count;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 50; i < 1050; i++)
        {
            Run(evaluator, payload, notifies, i, ref collector);
        }
        long delta = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Equal(0, delta);
        Assert.True(collector.Count - before >= 4000, $"expected 4+ matches per packet, got {collector.Count - before}");
    }

    private static void Run(RuleEvaluator evaluator, byte[] payload, ushort[] notifies, int i, ref CountingCollector collector)
    {
        var context = new InspectionContext
        {
            Protocol = InspectionProtocol.Tcp,
            Source = Client,
            Destination = Server,
            SourcePort = 40000,
            DestinationPort = 80,
            Payload = payload,
            Direction = PacketDirection.ToServer,
            FlowEstablished = true,
            EspEncapsulation = EspEncapsulation.Esp,
            EspVerdict = EspVerdictKind.Null,
            IkeNotifyTypes = notifies,
            TimestampNanoseconds = i * 1_000_000L,
        };
        evaluator.Evaluate(context, ref collector);
    }

    private static bool Hit(RuleEvaluator evaluator, long seconds, NetworkAddress? source = null)
    {
        var collector = new ListCollector();
        evaluator.Evaluate((Tcp([]) with { Timestamp = seconds * 1_000_000_000L, Source = source ?? Client }).ToContext(), ref collector);
        return collector.Matches.Count == 1;
    }

    /// <summary>Raises its one signature for TCP payloads of 100 bytes or more.</summary>
    private sealed class LengthInspector : IInspector
    {
        private static readonly Rule s_long = Rule.ForInspector(900001, "LONG", classtype: "misc-activity");

        public string Name => "length";

        public RuleProtocol Protocol => RuleProtocol.Tcp;

        public IReadOnlyList<Rule> Rules { get; } = [s_long];

        public void Inspect(in InspectionContext context, ref InspectorResults results)
        {
            if (context.Payload.Length >= 100)
            {
                results.Raise(s_long);
                results.Raise(s_long);
            }
        }
    }

    private sealed class ThrowingInspector : IInspector
    {
        public string Name => "throws";

        public RuleProtocol Protocol => RuleProtocol.Ip;

        public IReadOnlyList<Rule> Rules { get; } = [Rule.ForInspector(900002, "never")];

        public void Inspect(in InspectionContext context, ref InspectorResults results) =>
            throw new InvalidOperationException("plugin bug");
    }

    /// <summary>An ESP packet whose cleartext the rules saw as the inner packet meets only esp rules, through the
    /// buckets and in the unfiltered reference alike; the same packet with encrypted payload meets them all.</summary>
    [Theory]
    [InlineData(false, new uint[] { 1, 2, 3 })]
    [InlineData(true, new uint[] { 3 })]
    public void Evaluate_EspPacketWithInspectedCleartext_OnlyEspRules(bool cleartextInspected, uint[] expected)
    {
        RuleSet set = RuleHarness.Compile(
            "alert ip any any -> any any (msg:\"ip\"; content:\"secret\"; sid:1;)\n"
            + "alert udp any any -> any 4500 (msg:\"udp 4500\"; sid:2;)\n"
            + "alert esp any any -> any any (msg:\"esp\"; content:\"secret\"; sid:3;)\n");
        var spec = new RuleHarness.ContextSpec
        {
            Protocol = InspectionProtocol.Esp,
            Source = RuleHarness.Client,
            Destination = RuleHarness.Server,
            SourcePort = 4500,
            DestinationPort = 4500,
            Payload = Encoding.Latin1.GetBytes("\0\0\0\x01\0\0\0\x02 the secret inside"),
            Spi = 1,
            Verdict = EspVerdictKind.Null,
            Encapsulation = EspEncapsulation.Udp,
            CleartextInspected = cleartextInspected,
        };
        Assert.Equal(expected, RuleHarness.Match(set, spec).Order());
        var collector = new RuleHarness.ListCollector();
        set.CreateEvaluator().EvaluateUnfiltered(spec.ToContext(), ref collector);
        Assert.Equal(expected, collector.Matches.Select(m => m.Sid).Order());
    }
}
