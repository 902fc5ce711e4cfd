using Visibility.Engine.Events;
using Visibility.Engine.Ike;
using Visibility.Wire;

namespace Visibility.Engine.Tests.Ike.Support;

/// <summary>An <see cref="IkeTracker"/> fed IKE messages as if they came from UDP datagrams between two hosts, with a
/// recording sink.</summary>
internal sealed class IkeHarness
{
    public static readonly NetworkAddress InitiatorHost = NetworkAddress.Parse("192.0.2.1");
    public static readonly NetworkAddress ResponderHost = NetworkAddress.Parse("198.51.100.1");

    private long _frame;

    public IkeHarness(IkeTrackerOptions? options = null)
    {
        Tracker = new IkeTracker(options ?? new IkeTrackerOptions(), Sink, Counters);
    }

    public IkeRecordingSink Sink { get; } = new();

    public EngineCounters Counters { get; } = new();

    public IkeTracker Tracker { get; }

    /// <summary>Packet time, nanoseconds since the Unix epoch; advanced by <see cref="Advance"/>.</summary>
    public long Now { get; private set; } = 1_700_000_000L * 1_000_000_000;

    public void Advance(TimeSpan time) => Now += time.Ticks * 100;

    /// <summary>Processes one message sent by the initiator host (or the responder host) and returns its record.</summary>
    public IkeMessageSnapshot Send(byte[] message, bool byInitiatorHost = true, NetworkAddress? from = null, NetworkAddress? to = null)
    {
        var meta = new PacketMeta
        {
            IPVersion = 4,
            Source = from ?? (byInitiatorHost ? InitiatorHost : ResponderHost),
            Destination = to ?? (byInitiatorHost ? ResponderHost : InitiatorHost),
            SourcePort = 500,
            DestinationPort = 500,
            Protocol = IPProtocol.Udp,
            Kind = PayloadKind.Ike,
            NetworkComplete = true,
        };
        int before = Sink.Messages.Count;
        Tracker.Expire(Now);
        var packet = new PacketContext(message, in meta, Now, ++_frame, null);
        Tracker.Process(in packet, message);
        return Sink.Messages.Count > before ? Sink.Messages[^1] : IkeMessageSnapshot.None;
    }

    /// <summary>Ends every SA and returns the records, in order.</summary>
    public IReadOnlyList<IkeSaSnapshot> Finish()
    {
        Tracker.Finish();
        return Sink.Sas;
    }

    /// <summary>The record of the SA with this initiator SPI (the last one when several ended).</summary>
    public IkeSaSnapshot Sa(ulong initiatorSpi) => Sink.Sas.Last(s => s.InitiatorSpi == initiatorSpi);
}
