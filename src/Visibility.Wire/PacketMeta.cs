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

    /// <summary>Number of 802.1Q/802.1ad tags (0-2).</summary>
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

    public NetworkAddress Source;

    public NetworkAddress Destination;

    /// <summary>IPv4 TTL or IPv6 hop limit.</summary>
    public byte Ttl;

    /// <summary>The upper-layer protocol after all IPv6 extension headers (AH is walked over; ESP, WESP and
    /// anything unknown stop the walk).</summary>
    public IPProtocol Protocol;

    /// <summary>Offset of the upper-layer header (after IPv4 options / IPv6 extension headers).</summary>
    public int TransportOffset;

    /// <summary>Offset one past the end of the IP datagram as its length field says, clamped to the captured bytes.</summary>
    public int NetworkEnd;

    /// <summary>True when the IP datagram is complete in the capture (not cut by the snap length).</summary>
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

    /// <summary>For IPv6 fragments, the Next Header of the Fragment header (the protocol of the reassembled payload).</summary>
    public IPProtocol FragmentNextHeader;

    /// <summary>True when an AH header (RFC 4302) was walked over.</summary>
    public bool HasAh;

    // ---- transport
    public PayloadKind Kind;

    public ushort SourcePort;

    public ushort DestinationPort;

    /// <summary>TCP flags octet (CWR..FIN).</summary>
    public byte TcpFlags;

    /// <summary>ICMP / ICMPv6 type and code.</summary>
    public byte IcmpType;

    public byte IcmpCode;

    /// <summary>Offset and length of the application payload (TCP/UDP payload, ICMP body, or for ESP/WESP/IKE the
    /// bytes from the SPI / WESP header / IKE header to the end of the datagram), clamped to the captured bytes.</summary>
    public int PayloadOffset;

    public int PayloadLength;

    // ---- IPsec
    public EspEncapsulation Encapsulation;

    /// <summary>ESP SPI (or the SPI inside a WESP header).</summary>
    public uint Spi;

    public uint SequenceNumber;

    /// <summary>Offset of the ESP SPI field (for WESP: of the ESP header inside it).</summary>
    public int EspOffset;

    /// <summary>Length from the SPI to the end of the ICV as the outer lengths say (may exceed the captured bytes).</summary>
    public int EspLength;

    /// <summary>Offset of the WESP header when <see cref="Kind"/> is <see cref="PayloadKind.Wesp"/>.</summary>
    public int WespOffset;

    /// <summary>For IKE: offset of the IKE header (after the non-ESP marker on 4500) and length to the datagram end.</summary>
    public int IkeOffset;

    public int IkeLength;

    // ---- outcome
    public DecodeAnomaly Anomaly;

    /// <summary>The direction-less flow port pair is meaningful (TCP, UDP, including IKE and UDP-encapsulated ESP).</summary>
    public readonly bool HasPorts => Kind is PayloadKind.Tcp or PayloadKind.Udp or PayloadKind.Ike or PayloadKind.NatKeepalive
        || Encapsulation is EspEncapsulation.Udp or EspEncapsulation.WespUdp;

    /// <summary>True when every byte of the IP datagram was captured, so trailers at its end can be read.</summary>
    public readonly bool IsWhole => NetworkComplete && CapturedLength >= OriginalLength;
}
