using System.Text;
using Visibility.Engine.Inspection;
using Visibility.Engine.Plugins;
using Visibility.Inspection.Abstractions;
using Visibility.Plugins.Example;
using Visibility.Wire;

namespace Visibility.Plugins.Tests;

public sealed class PacketInspectorAdapterTests
{
    private sealed class Collector : IRuleMatchCollector
    {
        public List<uint> Sids { get; } = [];

        public void OnMatch(in RuleMatch match) => Sids.Add(match.Sid);
    }

    /// <summary>Echoes what it saw into fields, and raises whatever the test asks.</summary>
    private sealed class RecordingInspector : IPacketInspector
    {
        public static readonly SignatureDeclaration First = new(9001, "first", classtype: "credential-theft");
        public static readonly SignatureDeclaration Second = new(9002, "second", SignatureAction.Pass, priority: 7);

        public string Name => "recording";

        public InspectorProtocol Protocol { get; init; } = InspectorProtocol.Udp;

        public IReadOnlyList<SignatureDeclaration> Signatures { get; init; } = [First, Second];

        public SignatureDeclaration? ToRaise { get; init; }

        public (InspectedProtocol Protocol, string Source, ushort DestinationPort, int Payload, FlowDirection Direction, uint Spi, EspSaVerdict Verdict, EspEncapsulation Encapsulation, int Notifies)? Seen { get; private set; }

        public void Inspect(in InspectedPacket packet, ref InspectionResults results)
        {
            Seen = (packet.Protocol, packet.Source.ToString(), packet.DestinationPort, packet.Payload.Length, packet.Direction,
                packet.EspSpi, packet.EspVerdict, packet.EspEncapsulation, packet.IkeNotifyTypes.Length);
            if (ToRaise is not null)
            {
                results.Raise(ToRaise);
            }
        }
    }

    private static InspectionContext Udp(byte[] payload) => new()
    {
        Protocol = InspectionProtocol.Udp,
        Source = NetworkAddress.Parse("10.1.0.10"),
        Destination = NetworkAddress.Parse("10.2.0.20"),
        SourcePort = 5060,
        DestinationPort = 5060,
        Payload = payload,
        Direction = PacketDirection.ToServer,
        EspSpi = 0xb002,
        EspVerdict = EspVerdictKind.Null,
        EspEncapsulation = EspEncapsulation.Udp,
        IkeNotifyTypes = new ushort[] { 16390, 16391 },
    };

    private static void AssertSameValues<TEngine, TPlugin>()
        where TEngine : struct, Enum
        where TPlugin : struct, Enum
    {
        string[] engine = [.. Enum.GetValues<TEngine>().Select(v => $"{v}={Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)}")];
        string[] plugin = [.. Enum.GetValues<TPlugin>().Select(v => $"{v}={Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)}")];
        Assert.Equal(engine, plugin);
    }

    [Fact]
    public void Enums_MirrorTheEngineByNameAndValue()
    {
        AssertSameValues<RuleProtocol, InspectorProtocol>();
        AssertSameValues<InspectionProtocol, InspectedProtocol>();
        AssertSameValues<PacketDirection, FlowDirection>();
        AssertSameValues<EspVerdictKind, EspSaVerdict>();
        AssertSameValues<RuleAction, SignatureAction>();
    }

    [Fact]
    public void Constructor_Declarations_BecomeInspectorRules()
    {
        var adapter = new PacketInspectorAdapter(new RecordingInspector());
        Assert.Equal("recording", adapter.Name);
        Assert.Equal(RuleProtocol.Udp, adapter.Protocol);
        Rule first = adapter.Rules[0];
        Assert.True(first.IsInspectorRule);
        Assert.Equal((9001u, "first", RuleAction.Alert, "credential-theft", 1), (first.Sid, first.Message, first.Action, first.Classtype, first.Priority));
        Rule second = adapter.Rules[1];
        Assert.Equal((9002u, RuleAction.Pass, 7), (second.Sid, second.Action, second.Priority));
    }

    [Fact]
    public void Inspect_ContextFields_AreWhatThePluginSees()
    {
        var plugin = new RecordingInspector();
        RuleSet set = RuleSet.Compile([], [new PacketInspectorAdapter(plugin)]);
        var collector = new Collector();
        set.Evaluate(Udp(Encoding.ASCII.GetBytes("REGISTER")), ref collector);
        Assert.Equal((InspectedProtocol.Udp, "10.1.0.10", (ushort)5060, 8, FlowDirection.ToServer, 0xb002u, EspSaVerdict.Null, EspEncapsulation.Udp, 2), plugin.Seen);
    }

    [Fact]
    public void Inspect_RaisedSignature_ReachesTheCollector()
    {
        RuleSet set = RuleSet.Compile([], [new PacketInspectorAdapter(new RecordingInspector { ToRaise = RecordingInspector.First })]);
        var collector = new Collector();
        set.Evaluate(Udp([1, 2, 3]), ref collector);
        Assert.Equal([9001u], collector.Sids);
    }

    [Fact]
    public void Inspect_UndeclaredSignature_IsCountedAsAFailureAndRaisesNothing()
    {
        var foreign = new SignatureDeclaration(9999, "foreign");
        RuleSet set = RuleSet.Compile([], [new PacketInspectorAdapter(new RecordingInspector { ToRaise = foreign })]);
        RuleEvaluator evaluator = set.CreateEvaluator();
        var collector = new Collector();
        evaluator.Evaluate(Udp([1]), ref collector);
        Assert.Empty(collector.Sids);
        Assert.Equal(1, evaluator.InspectorFailures);
    }

    [Fact]
    public void Inspect_OtherProtocol_PluginNotCalled()
    {
        var plugin = new RecordingInspector { Protocol = InspectorProtocol.Tcp };
        RuleSet set = RuleSet.Compile([], [new PacketInspectorAdapter(plugin)]);
        var collector = new Collector();
        set.Evaluate(Udp([1]), ref collector);
        Assert.Null(plugin.Seen);
    }

    [Fact]
    public void Inspect_ExamplePluginThroughTheEngine_DoesNotAllocate()
    {
        RuleSet set = RuleSet.Compile([], [new PacketInspectorAdapter(new HttpBasicCredentialsInspector())]);
        RuleEvaluator evaluator = set.CreateEvaluator();
        byte[] payload = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nAuthorization: Basic YWxpY2U6V2ludGVyMjAyNCE=\r\n\r\n");
        InspectionContext context = Udp(payload) with { Protocol = InspectionProtocol.Tcp, DestinationPort = 80, EspEncapsulation = EspEncapsulation.Esp };
        var collector = new CountingCollector();
        for (int i = 0; i < 3; i++)
        {
            evaluator.Evaluate(context, ref collector);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            evaluator.Evaluate(context, ref collector);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1003, collector.Count);
    }

    [Fact]
    public void Constructor_UnknownClasstype_ThrowsNamingTheSid()
    {
        var plugin = new RecordingInspector { Signatures = [new SignatureDeclaration(9100, "x", classtype: "no-such-class")] };
        ArgumentException e = Assert.Throws<ArgumentException>(() => new PacketInspectorAdapter(plugin));
        Assert.Contains("sid 9100", e.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-class", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoSignatures_Throws() =>
        Assert.Throws<ArgumentException>(() => new PacketInspectorAdapter(new RecordingInspector { Signatures = [] }));

    [Fact]
    public void Constructor_SameSidTwice_Throws() =>
        Assert.Throws<ArgumentException>(() => new PacketInspectorAdapter(new RecordingInspector
        {
            Signatures = [new SignatureDeclaration(9200, "a"), new SignatureDeclaration(9200, "b")],
        }));

    [Fact]
    public void Constructor_TooManySignatures_Throws() =>
        Assert.Throws<ArgumentException>(() => new PacketInspectorAdapter(new RecordingInspector
        {
            Signatures = [.. Enumerable.Range(1, InspectionResults.MaxSignatures + 1).Select(i => new SignatureDeclaration((uint)i, "s"))],
        }));

    private struct CountingCollector : IRuleMatchCollector
    {
        public int Count { get; private set; }

        public void OnMatch(in RuleMatch match) => Count++;
    }
}
