using System.Runtime.CompilerServices;
namespace Visibility.Wire;

/// <summary>Everything the decoder learned about one frame: offsets into the frame and scalar fields.
/// A plain mutable struct that the caller allocates once and the decoder resets and fills per frame.</summary>
/// <remarks>Offsets are from the start of the frame span handed to the decoder. A field is meaningful only
/// when the layer it belongs to was decoded (see <see cref="Kind"/>, <see cref="IPVersion"/>).
/// <see cref="Anomaly"/> holds the first anomaly met; decoding stops at the layer that raised it, and
/// the fields of the layers below stay valid.</remarks>
public struct PacketMeta
{
    // ---- capture
    /// <summary>Bytes captured (the frame span's length).</summary>
    public int CapturedLength;

    /// <summary>Bytes on the wire; larger than <see cref="CapturedLength"/> when the snap length cut the frame.</summary>
    public int OriginalLength;

    // ---- link
    public LinkType LinkType;

    /// <summary>Number of VLAN tags (802.1Q 0x8100, 802.1ad 0x88A8, legacy 0x9100) decoded in front of the network
    /// header: 0-3 (a fourth raises <see cref="DecodeAnomaly.VlanTooManyLayers"/>). Only the first two ids are kept.</summary>
    public byte VlanCount;

    /// <summary>Outer VLAN id (first tag), 0 when untagged.</summary>
    public ushort OuterVlan;

    /// <summary>Inner VLAN id (second tag), 0 when absent.</summary>
    public ushort InnerVlan;

    // ---- network
    /// <summary>4, 6, or 0 when no IP header was decoded.</summary>
    public byte IPVersion;

    /// <summary>Offset of the (outermost) IP header.</summary>
    public int NetworkOffset;

    /// <summary>Source address of the IP header at <see cref="NetworkOffset"/>.</summary>
    public NetworkAddress Source;

    /// <summary>Destination address of the IP header at <see cref="NetworkOffset"/>.</summary>
    public NetworkAddress Destination;

    /// <summary>IPv4 TTL or IPv6 hop limit.</summary>
    public byte Ttl;

    /// <summary>The upper-layer protocol: the protocol of the header at <see cref="TransportOffset"/>, after AH (IPv4
    /// and IPv6) and the IPv6 Hop-by-Hop, Routing and Destination Options headers have been walked over; ESP, WESP and
    /// anything else stop the walk. For an IPv4 fragment it is the header's Protocol field; for an IPv6 fragment it is
    /// <see cref="IPProtocol.Fragment"/> (see <see cref="FragmentNextHeader"/>). When an anomaly stops the walk, it
    /// names the header that could not be read.</summary>
    public IPProtocol Protocol;

    /// <summary>Offset of the upper-layer header (after IPv4 options, AH and IPv6 extension headers); 0 for fragments
    /// and when an anomaly stopped decoding before the upper layer.</summary>
    public int TransportOffset;

    /// <summary>Offset one past the end of the IP datagram as its length field says, clamped to the captured bytes.</summary>
    public int NetworkEnd;

    /// <summary>True when the IP datagram is complete in the capture: its length field ends within the captured
    /// bytes (false when the snap length cut it, or when the datagram is truncated).</summary>
    public bool NetworkComplete;

    /// <summary>True when this frame is an IP fragment (IPv4 MF or offset, or an IPv6 Fragment header).</summary>
    public bool IsFragment;

    /// <summary>IPv4 identification (16 bits) or IPv6 fragment identification (32 bits).</summary>
    public uint FragmentId;

    /// <summary>Fragment offset in bytes.</summary>
    public int FragmentOffset;

    public bool MoreFragments;

    /// <summary>Offset of the fragmentable part: for IPv4 the payload after the header, for IPv6 the header
    /// that follows the Fragment header.</summary>
    public int FragmentPayloadOffset;

    /// <summary>For fragments, the protocol of the reassembled payload: the IPv4 Protocol field, or the Next Header
    /// of the IPv6 Fragment header.</summary>
    public IPProtocol FragmentNextHeader;

    /// <summary>True when an AH header (RFC 4302) was walked over.</summary>
    public bool HasAh;

    // ---- transport
    /// <summary>The highest layer above IP that decoded without anomaly. When the layer carried by UDP fails (for
    /// example ESP-in-UDP shorter than 8 octets) it stays <see cref="PayloadKind.Udp"/>; when TCP, UDP, ICMP or
    /// native ESP itself fails it is <see cref="PayloadKind.None"/>, as it is for fragments and non-IP frames.</summary>
    public PayloadKind Kind;

    /// <summary>TCP or UDP source port (for IKE, NAT-keepalives and UDP-encapsulated ESP/WESP: the outer UDP header).</summary>
    public ushort SourcePort;

    /// <summary>TCP or UDP destination port.</summary>
    public ushort DestinationPort;

    /// <summary>TCP flags octet (CWR..FIN).</summary>
    public byte TcpFlags;

    /// <summary>ICMP / ICMPv6 type and code.</summary>
    public byte IcmpType;

    public byte IcmpCode;

    /// <summary>Offset and length of the application payload, clamped to the captured bytes: the TCP payload, the
    /// UDP payload (as the UDP length says), the ICMP/ICMPv6 body after the 8-octet header, for ESP/WESP/IKE the bytes
    /// from the SPI / WESP header / IKE header to the end of the datagram (UDP length when UDP-encapsulated), the
    /// 0xFF octet of a NAT-keepalive, or for <see cref="PayloadKind.OtherIP"/> everything after the last header walked.</summary>
    public int PayloadOffset;

    public int PayloadLength;

    // ---- IPsec
    public EspEncapsulation Encapsulation;

    /// <summary>ESP SPI. For WESP, <see cref="PacketDecoder"/> only locates the WESP header (<see cref="WespOffset"/>);
    /// the code that reads that header (RFC 5840) fills the SPI, <see cref="SequenceNumber"/>, <see cref="EspOffset"/> and <see cref="EspLength"/>.</summary>
    public uint Spi;

    public uint SequenceNumber;

    /// <summary>Offset of the ESP SPI field (for WESP: of the ESP header inside it).</summary>
    public int EspOffset;

    /// <summary>Length from the SPI to the end of the ICV as the outer lengths (IP, or UDP when encapsulated) say;
    /// may exceed the captured bytes.</summary>
    public int EspLength;

    /// <summary>Offset of the WESP header when <see cref="Kind"/> is <see cref="PayloadKind.Wesp"/>: the upper-layer
    /// offset for IP protocol 141, or after the 4-octet protocol identifier on UDP (protocol-facts §2.6).</summary>
    public int WespOffset;

    /// <summary>For IKE: offset of the IKE header (after the non-ESP marker on 4500) and length to the end of the UDP
    /// datagram as the UDP length says (may exceed the captured bytes).</summary>
    public int IkeOffset;

    public int IkeLength;

    // ---- outcome
    /// <summary>The first anomaly met, <see cref="DecodeAnomaly.None"/> when the frame decoded cleanly. A snap-length
    /// cut inside a payload is not an anomaly (see <see cref="NetworkComplete"/>).</summary>
    public DecodeAnomaly Anomaly;

    /// <summary>The direction-less flow port pair is meaningful (TCP, UDP, including IKE and UDP-encapsulated ESP).</summary>
    public readonly bool HasPorts
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Kind is PayloadKind.Tcp or PayloadKind.Udp or PayloadKind.Ike or PayloadKind.NatKeepalive
        || Encapsulation is EspEncapsulation.Udp or EspEncapsulation.WespUdp;
    }

    /// <summary>True when every byte of the IP datagram was captured, so trailers at its end can be read.</summary>
    public readonly bool IsWhole => NetworkComplete;
}
