using System.Text;
using Visibility.Engine.Inspection;
using Visibility.Wire;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>Helpers shared by the inspection tests: compile rule text, build contexts, collect matches.</summary>
internal static class RuleHarness
{
    public static readonly NetworkAddress Client = NetworkAddress.Parse("10.0.0.1");
    public static readonly NetworkAddress Server = NetworkAddress.Parse("192.0.2.80");

    public static RuleSet Compile(string rules, IReadOnlyDictionary<string, string>? variables = null)
    {
        RuleLoadResult result = RuleParser.Parse(rules, "test.rules", variables);
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        return RuleSet.Compile(result.Rules);
    }

    public static RuleError SingleError(string rule, IReadOnlyDictionary<string, string>? variables = null)
    {
        RuleLoadResult result = RuleParser.Parse(rule, "test.rules", variables);
        Assert.Empty(result.Rules);
        return Assert.Single(result.Errors);
    }

    /// <summary>Sids matched by a TCP packet client:1234 -> server:80 carrying <paramref name="payload"/>.</summary>
    public static uint[] MatchTcp(string rules, string payload) => Match(rules, Tcp(Encoding.Latin1.GetBytes(payload)));

    public static uint[] MatchTcp(string rules, byte[] payload) => Match(rules, Tcp(payload));

    public static uint[] Match(string rules, ContextSpec spec) => Match(Compile(rules), spec);

    public static uint[] Match(RuleSet set, ContextSpec spec)
    {
        var collector = new ListCollector();
        set.CreateEvaluator().Evaluate(spec.ToContext(), ref collector);
        return [.. collector.Matches.Select(m => m.Sid)];
    }

    public static ContextSpec Tcp(byte[] payload) => new()
    {
        Protocol = InspectionProtocol.Tcp,
        Source = Client,
        Destination = Server,
        SourcePort = 1234,
        DestinationPort = 80,
        Payload = payload,
        Direction = PacketDirection.ToServer,
        Established = true,
    };

    /// <summary>A heap copy of the fields of an <see cref="InspectionContext"/>, so theories can build one.</summary>
    internal sealed record ContextSpec
    {
        public InspectionProtocol Protocol { get; init; }

        public NetworkAddress Source { get; init; }

        public NetworkAddress Destination { get; init; }

        public ushort SourcePort { get; init; }

        public ushort DestinationPort { get; init; }

        public byte[] Payload { get; init; } = [];

        public PacketDirection Direction { get; init; }

        public bool Established { get; init; }

        public uint Spi { get; init; }

        public EspVerdictKind Verdict { get; init; }

        public int IcvLength { get; init; }

        public EspEncapsulation Encapsulation { get; init; }

        public byte ExchangeType { get; init; }

        public ushort[] Notifies { get; init; } = [];

        public byte[] RedirectGateway { get; init; } = [];

        public NetworkAddress RedirectGatewayAddress { get; init; }

        public DecodeAnomaly Anomaly { get; init; }

        public long Timestamp { get; init; }

        public bool CleartextInspected { get; init; }

        public InspectionContext ToContext() => new()
        {
            Protocol = Protocol,
            Source = Source,
            Destination = Destination,
            SourcePort = SourcePort,
            DestinationPort = DestinationPort,
            Payload = Payload,
            Direction = Direction,
            FlowEstablished = Established,
            EspSpi = Spi,
            EspVerdict = Verdict,
            EspIcvLength = IcvLength,
            EspEncapsulation = Encapsulation,
            IkeExchangeType = ExchangeType,
            IkeNotifyTypes = Notifies,
            IkeRedirectGateway = RedirectGateway,
            IkeRedirectGatewayAddress = RedirectGatewayAddress,
            Anomaly = Anomaly,
            TimestampNanoseconds = Timestamp,
            CleartextInspected = CleartextInspected,
        };
    }

    internal struct ListCollector : IRuleMatchCollector
    {
        public ListCollector()
        {
        }

        public List<RuleMatch> Matches { get; } = [];

        public readonly void OnMatch(in RuleMatch match) => Matches.Add(match);
    }

    /// <summary>Counts matches without allocating, for the allocation guard.</summary>
    internal struct CountingCollector : IRuleMatchCollector
    {
        public int Count;
        public ulong SidSum;

        public void OnMatch(in RuleMatch match)
        {
            Count++;
            SidSum += match.Sid;
        }
    }
}
