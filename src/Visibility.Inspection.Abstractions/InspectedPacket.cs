using Visibility.Wire;

namespace Visibility.Inspection.Abstractions;

/// <summary>What an <see cref="IPacketInspector"/> sees of one inspected packet: addresses, ports and payload of
/// the (inner) packet, its flow direction, the ESP SA it came through and the IKE message it is. Built on the
/// host's stack for each packet and passed by <c>in</c> reference.</summary>
/// <remarks>
/// <para>For a packet decapsulated from ESP-NULL or WESP, <see cref="Protocol"/>, addresses, ports and
/// <see cref="Payload"/> are those of the inner packet, and the <c>Esp*</c> members describe the SA it came
/// through. For the ESP packet itself <see cref="Protocol"/> is <see cref="InspectedProtocol.Esp"/> and the
/// payload starts at the SPI. For plain traffic the <c>Esp*</c> members keep their defaults
/// (<see cref="EspEncapsulation"/> = <see cref="Visibility.Wire.EspEncapsulation.None"/>).</para>
/// <para>The spans point into the frame (or a reassembly buffer) and live only as long as the call: copy what
/// you need to keep.</para>
/// </remarks>
public readonly ref struct InspectedPacket
{
    /// <summary>The inspected protocol (of the inner packet when decapsulated).</summary>
    public InspectedProtocol Protocol { get; init; }

    public NetworkAddress Source { get; init; }

    public NetworkAddress Destination { get; init; }

    public ushort SourcePort { get; init; }

    public ushort DestinationPort { get; init; }

    /// <summary>The L4 payload: TCP/UDP payload, ICMP body, the ESP packet from its SPI, the IKE message from its
    /// header.</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>Direction relative to the (inner) flow.</summary>
    public FlowDirection Direction { get; init; }

    /// <summary>True when the (inner) TCP flow has completed its handshake; a UDP flow once both sides have spoken.</summary>
    public bool FlowEstablished { get; init; }

    /// <summary>The SPI of the SA.</summary>
    public uint EspSpi { get; init; }

    /// <summary>The SA's verdict.</summary>
    public EspSaVerdict EspVerdict { get; init; }

    /// <summary>The ICV length in bytes the SA was found to use, 0 when unknown.</summary>
    public int EspIcvLength { get; init; }

    /// <summary>How the ESP packet was carried; <see cref="Visibility.Wire.EspEncapsulation.None"/> when the packet
    /// did not travel through ESP or WESP.</summary>
    public EspEncapsulation EspEncapsulation { get; init; }

    /// <summary>The IKE exchange type (RFC 7296 §3.1), 0 when not IKE.</summary>
    public byte IkeExchangeType { get; init; }

    /// <summary>Notify Message Types present in the IKE message: the clear ones, plus the decrypted inner ones when
    /// keys were available.</summary>
    public ReadOnlySpan<ushort> IkeNotifyTypes { get; init; }

    /// <summary>The gateway identity of a REDIRECT notify (RFC 5685 §4) as ASCII text; empty when none.</summary>
    public ReadOnlySpan<byte> IkeRedirectGateway { get; init; }

    /// <summary>The REDIRECT gateway as an address when its identity is IPv4 or IPv6; the default otherwise.</summary>
    public NetworkAddress IkeRedirectGatewayAddress { get; init; }

    /// <summary>The decode anomaly this packet raised, if any.</summary>
    public DecodeAnomaly Anomaly { get; init; }

    /// <summary>Capture time of the frame in nanoseconds since the Unix epoch.</summary>
    public long TimestampNanoseconds { get; init; }

    /// <summary>True when <see cref="SourcePort"/> and <see cref="DestinationPort"/> are meaningful: TCP, UDP, IKE,
    /// and ESP/WESP carried in UDP.</summary>
    public bool HasPorts => Protocol is InspectedProtocol.Tcp or InspectedProtocol.Udp or InspectedProtocol.Ike
        || (Protocol == InspectedProtocol.Esp && EspEncapsulation is EspEncapsulation.Udp or EspEncapsulation.WespUdp);

    /// <summary>True when the packet travelled through an ESP or WESP SA (it is the ESP packet or came out of one).</summary>
    public bool HasEsp => EspEncapsulation != EspEncapsulation.None;

    /// <summary>True when the payload is cleartext taken out of an ESP-NULL (or unencrypted WESP) SA: the packet
    /// came through ESP, is not the ESP packet itself, and the SA's verdict is <see cref="EspSaVerdict.Null"/>.</summary>
    public bool IsEspNullCleartext => HasEsp && Protocol != InspectedProtocol.Esp && EspVerdict == EspSaVerdict.Null;
}
