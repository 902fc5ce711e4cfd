using Visibility.IkePeer.Config;
using Visibility.IkePeer.Esp;
using Visibility.IkePeer.Messages;

namespace Visibility.IkePeer.Session;

/// <summary>A Child SA: the ESP SA pair of one negotiation and its traffic selectors (tunnel mode).</summary>
internal sealed class ChildSa
{
    public ChildSa(NegotiatedSuite suite, EspSa inbound, EspSa outbound, TrafficSelector localTs, TrafficSelector remoteTs)
    {
        Suite = suite;
        Inbound = inbound;
        Outbound = outbound;
        LocalTs = localTs;
        RemoteTs = remoteTs;
    }

    public NegotiatedSuite Suite { get; }

    /// <summary>Packets we receive: our SPI.</summary>
    public EspSa Inbound { get; }

    /// <summary>Packets we send: the other side's SPI.</summary>
    public EspSa Outbound { get; }

    public TrafficSelector LocalTs { get; }

    public TrafficSelector RemoteTs { get; }
}
