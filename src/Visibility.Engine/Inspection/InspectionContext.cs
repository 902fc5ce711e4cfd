using System.Runtime.CompilerServices;
using Visibility.Wire;

namespace Visibility.Engine.Inspection;

/// <summary>Everything a rule sees of one inspected packet. Built on the stack by the pipeline for each packet and
/// passed by <c>in</c> reference; the spans point into the frame (or the reassembly buffer) and live only as long
/// as the call.</summary>
/// <remarks>
/// <para>For a packet decapsulated from ESP-NULL or WESP, <see cref="Protocol"/>, addresses, ports and
/// <see cref="Payload"/> are those of the inner packet, and the <c>Esp*</c> members describe the SA it came
/// through. For the ESP packet itself <see cref="Protocol"/> is <see cref="InspectionProtocol.Esp"/> and the
/// payload starts at the SPI. For plain traffic the <c>Esp*</c> members keep their defaults
/// (<see cref="EspEncapsulation"/> = <see cref="Visibility.Wire.EspEncapsulation.None"/>), and <c>esp.*</c>
/// options do not match.</para>
/// <para>Nothing here is copied or retained by the rule engine.</para>
/// </remarks>
public readonly ref struct InspectionContext
{
    /// <summary>This is an ESP/WESP packet whose cleartext was inspected as the inner packet: only <c>esp</c> rules see
    /// it (the others see the inner packet, as they would the same traffic without ESP).</summary>
    internal bool CleartextInspected { get; init; }

    /// <summary>The inspected protocol (of the inner packet when decapsulated).</summary>
    public InspectionProtocol Protocol { get; init; }

    public NetworkAddress Source { get; init; }

    public NetworkAddress Destination { get; init; }

    public ushort SourcePort { get; init; }

    public ushort DestinationPort { get; init; }

    /// <summary>The L4 payload: TCP/UDP payload, ICMP body, the ESP packet from its SPI, the IKE message from its
    /// header. <c>content</c>, <c>pcre</c> and <c>dsize</c> look here.</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>Direction relative to the (inner) flow, for <c>flow:to_server</c>/<c>to_client</c>.</summary>
    public PacketDirection Direction { get; init; }

    /// <summary>True when the (inner) TCP flow has completed its handshake, for <c>flow:established</c>.
    /// The pipeline decides; UDP flows count as established once both sides have spoken, as in Suricata.</summary>
    public bool FlowEstablished { get; init; }

    /// <summary>The SPI of the SA (<c>esp.spi</c>).</summary>
    public uint EspSpi { get; init; }

    /// <summary>The SA's verdict (<c>esp.verdict</c>).</summary>
    public EspVerdictKind EspVerdict { get; init; }

    /// <summary>The ICV length in bytes the SA was found to use, 0 when unknown (<c>esp.icv_len</c>).</summary>
    public int EspIcvLength { get; init; }

    /// <summary>How the ESP packet was carried (<c>esp.encap</c>); <see cref="Visibility.Wire.EspEncapsulation.None"/>
    /// when the packet did not travel through ESP or WESP.</summary>
    public EspEncapsulation EspEncapsulation { get; init; }

    /// <summary>The IKE exchange type (RFC 7296 §3.1), 0 when not IKE (<c>ike.exchange</c>).</summary>
    public byte IkeExchangeType { get; init; }

    /// <summary>Notify Message Types present in the IKE message (<c>ike.notify</c>): the clear ones, plus the
    /// decrypted inner ones when keys were available.</summary>
    public ReadOnlySpan<ushort> IkeNotifyTypes { get; init; }

    /// <summary>The gateway identity of a REDIRECT notify (RFC 5685 §4) as ASCII text: the address in its usual
    /// text form or the FQDN; empty when the message has none. The <c>ike.redirect_gateway</c> sticky buffer.</summary>
    public ReadOnlySpan<byte> IkeRedirectGateway { get; init; }

    /// <summary>The REDIRECT gateway as an address when its identity type is IPv4 or IPv6; the default
    /// (<see cref="NetworkAddress.IsNone"/>) for an FQDN or no redirect. The value form of
    /// <c>ike.redirect_gateway</c> matches against it.</summary>
    public NetworkAddress IkeRedirectGatewayAddress { get; init; }

    /// <summary>The decode anomaly this packet raised, if any (<c>decode-event</c>).</summary>
    public DecodeAnomaly Anomaly { get; init; }

    /// <summary>Capture time of the frame in nanoseconds since the Unix epoch; thresholds count on it.</summary>
    public long TimestampNanoseconds { get; init; }

    /// <summary>True when <see cref="SourcePort"/> and <see cref="DestinationPort"/> are meaningful: TCP, UDP,
    /// IKE, and ESP/WESP carried in UDP.</summary>
    public bool HasPorts => PortsApply(Protocol, EspEncapsulation);

    /// <summary><see cref="HasPorts"/> of a context with this protocol and ESP encapsulation, for callers that decide
    /// before building one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool PortsApply(InspectionProtocol protocol, EspEncapsulation encapsulation) =>
        protocol is InspectionProtocol.Tcp or InspectionProtocol.Udp or InspectionProtocol.Ike
        || (protocol == InspectionProtocol.Esp && encapsulation is EspEncapsulation.Udp or EspEncapsulation.WespUdp);

    /// <summary>True when the packet travelled through an ESP or WESP SA (it is the ESP packet or came out of one).</summary>
    public bool HasEsp => EspEncapsulation != EspEncapsulation.None;
}
