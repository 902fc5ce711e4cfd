using System.Runtime.CompilerServices;
using Visibility.Wire.Decoding;

namespace Visibility.Wire;

/// <summary>Decodes one captured frame into a <see cref="PacketMeta"/>: link layer, up to three VLAN tags,
/// IPv4/IPv6 (options, extension headers, AH), then TCP, UDP, ICMP, ICMPv6, ESP, WESP, IKE and the
/// RFC 3948 port-4500 demultiplexer.</summary>
/// <remarks>
/// <para>Stateless and allocation-free: the caller owns one <see cref="PacketMeta"/> and hands it in by reference.
/// Malformed input never throws; the first problem met is recorded in <see cref="PacketMeta.Anomaly"/> and
/// decoding stops at the layer that raised it, so the fields of the layers below stay valid.</para>
/// <para>Snap length: a frame whose captured bytes are fewer than its original length was cut by the capture,
/// not by the sender. When such a cut falls inside an IP datagram's payload this is not an anomaly:
/// <see cref="PacketMeta.NetworkComplete"/> is false and every header that was captured is decoded. A datagram
/// whose length field exceeds what was on the wire (the original length) is truncated
/// (<see cref="DecodeAnomaly.IPv4Truncated"/>, <see cref="DecodeAnomaly.IPv6Truncated"/>). A header that is
/// itself incomplete in the captured bytes is always an anomaly (the <c>...PacketTooSmall</c> family), cut by the
/// capture or not, since the layer cannot be decoded.</para>
/// <para>IP fragments are recognised and described (<see cref="PacketMeta.IsFragment"/> and the fragment fields)
/// but not decoded further: the caller reassembles and passes the whole datagram to <see cref="DecodeNetwork"/>.</para>
/// </remarks>
public static partial class PacketDecoder
{
    /// <summary>Most VLAN tags accepted in one frame (802.1ad S-tag + C-tag + one more, as Suricata does).</summary>
    public const int MaxVlanTags = 3;

    /// <summary>Most IPv6 extension headers (Hop-by-Hop, Routing, Destination Options, AH) walked before the
    /// packet is rejected. RFC 8200 §4.1 orders at most six distinct ones, Destination Options twice; the bound
    /// keeps a crafted chain of 8-octet headers from costing thousands of iterations.</summary>
    public const int MaxExtensionHeaders = 8;

    /// <summary>Decodes a captured frame.</summary>
    /// <param name="frame">The captured bytes, starting with the link-layer header.</param>
    /// <param name="linkType">The capture's link type (the low 16 bits of the file's value).</param>
    /// <param name="originalLength">The frame's length on the wire; larger than <paramref name="frame"/>'s length
    /// when the snap length cut it. Values below the captured length are taken as the captured length.</param>
    /// <param name="meta">Reset, then filled. Offsets are relative to <paramref name="frame"/>.</param>
    public static void Decode(ReadOnlySpan<byte> frame, LinkType linkType, int originalLength, ref PacketMeta meta)
    {
        meta = default;
        meta.CapturedLength = frame.Length;
        meta.OriginalLength = originalLength > frame.Length ? originalLength : frame.Length;
        meta.LinkType = linkType;

        switch (linkType)
        {
            case LinkType.Ethernet:
                DecodeEthernet(frame, ref meta);
                break;
            case LinkType.Raw:
            case LinkType.RawLegacy12:
            case LinkType.RawLegacy14:
                DecodeIPByVersion(frame, ref meta);
                break;
            case LinkType.IPv4:
                DecodeIPv4(frame, 0, ref meta);
                break;
            case LinkType.IPv6:
                DecodeIPv6(frame, 0, ref meta);
                break;
            case LinkType.Null:
            case LinkType.Loop:
                DecodeLoopback(frame, ref meta);
                break;
            case LinkType.LinuxSll:
                DecodeLinuxSll(frame, ref meta);
                break;
            case LinkType.LinuxSll2:
                DecodeLinuxSll2(frame, ref meta);
                break;
            default:
                meta.Anomaly = DecodeAnomaly.UnsupportedLinkType;
                break;
        }
    }

    /// <summary>Decodes a bare IP datagram at offset 0, the version nibble choosing IPv4 or IPv6: a reassembled
    /// datagram, or the inner packet of ESP tunnel mode.</summary>
    /// <param name="datagram">The whole datagram; taken as complete (original length = its length).</param>
    /// <param name="meta">Reset, then filled; <see cref="PacketMeta.LinkType"/> is <see cref="LinkType.Raw"/>.
    /// Offsets are relative to <paramref name="datagram"/>.</param>
    public static void DecodeNetwork(ReadOnlySpan<byte> datagram, ref PacketMeta meta)
    {
        meta = default;
        meta.CapturedLength = datagram.Length;
        meta.OriginalLength = datagram.Length;
        meta.LinkType = LinkType.Raw;
        DecodeIPByVersion(datagram, ref meta);
    }

    /// <summary>Decodes an upper-layer header (TCP, UDP and what UDP carries, ICMP, ICMPv6, ESP, WESP; anything
    /// else as <see cref="PayloadKind.OtherIP"/>) without touching the link and network fields of
    /// <paramref name="meta"/>: for ESP transport mode, whose addresses come from the outer header.</summary>
    /// <param name="span">The bytes holding the header.</param>
    /// <param name="offset">Where the header starts in <paramref name="span"/>.</param>
    /// <param name="end">One past the last octet of the upper-layer data (clamped to <paramref name="span"/>, and
    /// <paramref name="offset"/> to [0, end]);
    /// taken as complete, so UDP lengths and ESP lengths are judged against it.</param>
    /// <param name="protocol">The IP protocol number of the header at <paramref name="offset"/>.</param>
    /// <param name="meta">Its transport and IPsec fields and <see cref="PacketMeta.Anomaly"/> are reset, then
    /// filled; their offsets are relative to <paramref name="span"/>.</param>
    public static void DecodeTransport(ReadOnlySpan<byte> span, int offset, int end, IPProtocol protocol, ref PacketMeta meta)
    {
        ResetTransport(ref meta);
        end = Math.Clamp(end, 0, span.Length);
        offset = Math.Clamp(offset, 0, end);
        DecodeTransportCore(span, offset, end, end, protocol, ref meta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ResetTransport(ref PacketMeta meta)
    {
        meta.Kind = PayloadKind.None;
        meta.SourcePort = 0;
        meta.DestinationPort = 0;
        meta.TcpFlags = 0;
        meta.IcmpType = 0;
        meta.IcmpCode = 0;
        meta.PayloadOffset = 0;
        meta.PayloadLength = 0;
        meta.Encapsulation = EspEncapsulation.None;
        meta.Spi = 0;
        meta.SequenceNumber = 0;
        meta.EspOffset = 0;
        meta.EspLength = 0;
        meta.WespOffset = 0;
        meta.IkeOffset = 0;
        meta.IkeLength = 0;
        meta.Anomaly = DecodeAnomaly.None;
    }
}
