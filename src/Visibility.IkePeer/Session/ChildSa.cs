using Visibility.IkePeer.Config;
using Visibility.IkePeer.Esp;
using Visibility.IkePeer.Messages;

namespace Visibility.IkePeer.Session;

/// <summary>A Child SA: the ESP SA pair of one negotiation and its traffic selectors (tunnel mode).</summary>
internal sealed class ChildSa
{
    public ChildSa(NegotiatedSuite suite, EspSa inbound, EspSa outbound, TrafficSelector localTs, TrafficSelector remoteTs, bool wesp = false)
    {
        Suite = suite;
        Inbound = inbound;
        Outbound = outbound;
        LocalTs = localTs;
        RemoteTs = remoteTs;
        Wesp = wesp;
    }

    public NegotiatedSuite Suite { get; }

    /// <summary>Packets we receive: our SPI.</summary>
    public EspSa Inbound { get; }

    /// <summary>Packets we send: the other side's SPI.</summary>
    public EspSa Outbound { get; }

    public TrafficSelector LocalTs { get; }

    public TrafficSelector RemoteTs { get; }

    /// <summary>Both sides agreed on USE_WESP_MODE: packets travel wrapped in WESP (RFC 5840).</summary>
    public bool Wesp { get; }

    /// <summary>The Child SA that replaced this one by a CREATE_CHILD_SA rekey; this one still receives until deleted
    /// (RFC 7296 §2.8).</summary>
    public ChildSa? ReplacedBy { get; set; }

    /// <summary>The inbound SPI of the Child SA this one rekeyed, or 0.</summary>
    public uint RekeyOf { get; init; }

    public string Name => $"0x{Inbound.Spi:x8}_i 0x{Outbound.Spi:x8}_o";
}
