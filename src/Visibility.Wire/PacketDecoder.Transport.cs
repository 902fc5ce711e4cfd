using System.Buffers.Binary;
using Visibility.Wire.Decoding;

namespace Visibility.Wire;

public static partial class PacketDecoder
{
    /// <summary>UDP port of IKE (RFC 7296 §2).</summary>
    public const ushort IkePort = 500;

    /// <summary>UDP port shared by IKE after NAT detection and UDP-encapsulated ESP (RFC 3948 §1, RFC 7296 §2.23).</summary>
    public const ushort NatTraversalPort = 4500;

    /// <summary>ESP's SPI and Sequence Number (RFC 4303 §2): the part of ESP every packet has in clear.</summary>
    private const int EspHeaderLength = 8;

    /// <summary>The 4-octet prefix on port 4500 that announces IKE (non-ESP marker, RFC 3948 §2.2) or WESP
    /// (protocol identifier 2, RFC 5840 §2.1).</summary>
    private const int NatTraversalPrefixLength = 4;

    private const uint NonEspMarker = 0;

    private const uint WespProtocolIdentifier = 2;

    private const byte NatKeepaliveOctet = 0xFF;

    /// <summary>Decodes the upper layer at <paramref name="offset"/>.</summary>
    /// <param name="span">The bytes.</param>
    /// <param name="offset">Start of the header, at most <paramref name="end"/>.</param>
    /// <param name="end">End of the captured bytes of the datagram, at most the span length.</param>
    /// <param name="declaredEnd">End of the datagram as the IP length says (at least <paramref name="end"/>; larger
    /// only when the capture cut the frame).</param>
    /// <param name="protocol">The protocol of the header at <paramref name="offset"/>.</param>
    /// <param name="meta">The packet being decoded.</param>
    private static void DecodeTransportCore(ReadOnlySpan<byte> span, int offset, int end, int declaredEnd, IPProtocol protocol, ref PacketMeta meta)
    {
        switch (protocol)
        {
            case IPProtocol.Tcp:
                DecodeTcp(span, offset, end, ref meta);
                break;
            case IPProtocol.Udp:
                DecodeUdp(span, offset, end, declaredEnd, ref meta);
                break;
            case IPProtocol.Icmp:
                DecodeIcmp(span, offset, end, PayloadKind.Icmp, DecodeAnomaly.IcmpPacketTooSmall, ref meta);
                break;
            case IPProtocol.IcmpV6:
                DecodeIcmp(span, offset, end, PayloadKind.IcmpV6, DecodeAnomaly.IcmpV6PacketTooSmall, ref meta);
                break;
            case IPProtocol.Esp:
                DecodeEsp(span, offset, end, declaredEnd, EspEncapsulation.Esp, ref meta);
                break;
            case IPProtocol.Wesp:
                // RFC 5840 §2: the WESP header is read and checked by its own view; here it is only located.
                meta.Kind = PayloadKind.Wesp;
                meta.Encapsulation = EspEncapsulation.Wesp;
                meta.WespOffset = offset;
                meta.PayloadOffset = offset;
                meta.PayloadLength = end - offset;
                break;
            default:
                meta.Kind = PayloadKind.OtherIP;
                meta.PayloadOffset = offset;
                meta.PayloadLength = end - offset;
                break;
        }
    }

    private static void DecodeTcp(ReadOnlySpan<byte> span, int offset, int end, ref PacketMeta meta)
    {
        if (!TcpHeader.TryRead(span[offset..end], out TcpHeader tcp))
        {
            meta.Anomaly = DecodeAnomaly.TcpPacketTooSmall;
            return;
        }
        meta.SourcePort = tcp.SourcePort;
        meta.DestinationPort = tcp.DestinationPort;
        meta.TcpFlags = tcp.Flags;
        int dataOffset = tcp.DataOffset;
        if (dataOffset < TcpHeader.MinimumLength)
        {
            meta.Anomaly = DecodeAnomaly.TcpHeaderLengthTooSmall;
            return;
        }
        int payloadOffset = offset + dataOffset;
        if (payloadOffset > end)
        {
            // Options run past the segment, or the capture cut them: either way the header is incomplete.
            meta.Anomaly = DecodeAnomaly.TcpPacketTooSmall;
            return;
        }
        meta.Kind = PayloadKind.Tcp;
        meta.PayloadOffset = payloadOffset;
        meta.PayloadLength = end - payloadOffset;
    }

    private static void DecodeUdp(ReadOnlySpan<byte> span, int offset, int end, int declaredEnd, ref PacketMeta meta)
    {
        if (!UdpHeader.TryRead(span[offset..end], out UdpHeader udp))
        {
            meta.Anomaly = DecodeAnomaly.UdpPacketTooSmall;
            return;
        }
        ushort sourcePort = udp.SourcePort;
        ushort destinationPort = udp.DestinationPort;
        meta.SourcePort = sourcePort;
        meta.DestinationPort = destinationPort;
        int length = udp.DatagramLength;
        // RFC 768: Length counts header and data. Shorter than the IP payload is legal (the rest is IP padding);
        // longer is not. Compared with the IP length, not the captured bytes, so a snap-length cut is no anomaly.
        if (length < UdpHeader.Length || length > declaredEnd - offset)
        {
            meta.Anomaly = DecodeAnomaly.UdpLengthInvalid;
            return;
        }
        int udpEnd = offset + length;
        int capturedEnd = udpEnd < end ? udpEnd : end;
        int payloadOffset = offset + UdpHeader.Length;
        meta.Kind = PayloadKind.Udp;
        meta.PayloadOffset = payloadOffset;
        meta.PayloadLength = capturedEnd - payloadOffset;

        if (sourcePort == IkePort || destinationPort == IkePort)
        {
            // RFC 7296 §2.23: port 500 never carries ESP, so everything on it is IKE (possibly malformed).
            meta.Kind = PayloadKind.Ike;
            meta.IkeOffset = payloadOffset;
            meta.IkeLength = length - UdpHeader.Length;
        }
        else if (sourcePort == NatTraversalPort || destinationPort == NatTraversalPort)
        {
            DecodeNatTraversal(span, payloadOffset, capturedEnd, udpEnd, ref meta);
        }
    }

    /// <summary>The port-4500 demultiplexer of RFC 3948 §2 and RFC 5840 §2.1 (protocol-facts §1.6, §2.6).</summary>
    /// <remarks>
    /// <code>
    /// payload                          meaning
    /// FF (exactly one octet)           NAT-keepalive         RFC 3948 §2.3
    /// 00 00 00 00 | IKE header ...     IKE after the marker  RFC 3948 §2.2
    /// 00 00 00 02 | WESP header ...    UDP-encapsulated WESP RFC 5840 §2.1
    /// SPI (other) | Seq | ...          UDP-encapsulated ESP  RFC 3948 §2.1
    /// </code>
    /// SPI values 1..255 are reserved (RFC 4303 §2.1) but are still decoded as ESP here: the ESP layer judges them.</remarks>
    private static void DecodeNatTraversal(ReadOnlySpan<byte> span, int payloadOffset, int capturedEnd, int declaredEnd, ref PacketMeta meta)
    {
        int captured = capturedEnd - payloadOffset;
        if (captured == 1 && declaredEnd - payloadOffset == 1 && span[payloadOffset] == NatKeepaliveOctet)
        {
            meta.Kind = PayloadKind.NatKeepalive;
            return;
        }
        if (captured < NatTraversalPrefixLength)
        {
            meta.Anomaly = DecodeAnomaly.EspPacketTooSmall;
            return;
        }
        uint prefix = BinaryPrimitives.ReadUInt32BigEndian(span[payloadOffset..capturedEnd]);
        if (prefix == NonEspMarker)
        {
            int ikeOffset = payloadOffset + NatTraversalPrefixLength;
            meta.Kind = PayloadKind.Ike;
            meta.IkeOffset = ikeOffset;
            meta.IkeLength = declaredEnd - ikeOffset;
            meta.PayloadOffset = ikeOffset;
            meta.PayloadLength = capturedEnd - ikeOffset;
        }
        else if (prefix == WespProtocolIdentifier)
        {
            int wespOffset = payloadOffset + NatTraversalPrefixLength;
            meta.Kind = PayloadKind.Wesp;
            meta.Encapsulation = EspEncapsulation.WespUdp;
            meta.WespOffset = wespOffset;
            meta.PayloadOffset = wespOffset;
            meta.PayloadLength = capturedEnd - wespOffset;
        }
        else
        {
            DecodeEsp(span, payloadOffset, capturedEnd, declaredEnd, EspEncapsulation.Udp, ref meta);
        }
    }

    /// <summary>The clear ESP header (RFC 4303 §2): SPI and Sequence Number.</summary>
    /// <remarks>
    /// <code>
    ///  0                   1                   2                   3
    ///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |               Security Parameters Index (SPI)                 |
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |                      Sequence Number                          |
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |  IV, payload, padding, Pad Length, Next Header, ICV ...
    /// </code>
    /// The trailer is not read here: its position depends on the ICV length, which is the classifier's business.</remarks>
    private static void DecodeEsp(ReadOnlySpan<byte> span, int offset, int end, int declaredEnd, EspEncapsulation encapsulation, ref PacketMeta meta)
    {
        // end <= declaredEnd, so this also rejects datagrams whose lengths leave no room for SPI and Sequence Number.
        if (end - offset < EspHeaderLength)
        {
            meta.Anomaly = DecodeAnomaly.EspPacketTooSmall;
            return;
        }
        ReadOnlySpan<byte> header = span.Slice(offset, EspHeaderLength);
        uint spi = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (spi == 0)
        {
            // RFC 4303 §2.1: SPI 0 is reserved for local use and never sent. (On port 4500 it is the IKE marker and
            // never reaches this point.)
            meta.Anomaly = DecodeAnomaly.EspZeroSpi;
            return;
        }
        meta.Kind = PayloadKind.Esp;
        meta.Encapsulation = encapsulation;
        meta.Spi = spi;
        meta.SequenceNumber = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        meta.EspOffset = offset;
        meta.EspLength = declaredEnd - offset;
        meta.PayloadOffset = offset;
        meta.PayloadLength = end - offset;
    }

    private static void DecodeIcmp(ReadOnlySpan<byte> span, int offset, int end, PayloadKind kind, DecodeAnomaly tooSmall, ref PacketMeta meta)
    {
        if (!IcmpHeader.TryRead(span[offset..end], out IcmpHeader icmp))
        {
            meta.Anomaly = tooSmall;
            return;
        }
        meta.Kind = kind;
        meta.IcmpType = icmp.Type;
        meta.IcmpCode = icmp.Code;
        meta.PayloadOffset = offset + IcmpHeader.Length;
        meta.PayloadLength = end - offset - IcmpHeader.Length;
    }
}
