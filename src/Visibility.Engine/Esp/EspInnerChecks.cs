using System.Buffers.Binary;
using Visibility.Wire;

namespace Visibility.Engine.Esp;

/// <summary>Checks of the header an ESP Next Header announces, after RFC 5879 §8.3: validity checks (a fixed rule
/// broken: the layout is wrong) and plausibility evidence counted in check bits.</summary>
/// <remarks>
/// Bits credited (chance that random octets pass is about 2^-bits):
/// <list type="bullet">
/// <item>IPv4 (tunnel, §8.3.5): version 4 (4), IHL 5 (4), header checksum (16, verified; a wrong one is invalid,
///   no NAT rewrites the inner header), Total Length equal to the space before the padding (16, verified), then the
///   inner TCP/UDP/ICMP with the inner addresses unless it is a fragment.</item>
/// <item>IPv6 (tunnel): version 6 (4), Payload Length exact (16, verified), then the upper layer after Hop-by-Hop,
///   Routing and Destination Options headers with the inner addresses.</item>
/// <item>TCP (§8.3.1, App. A.2): reserved bits zero (3), Data Offset 5 (4) or well-formed options (4), URG clear with
///   urgent pointer 0 (16), ACK clear with acknowledgment 0 (32), checksum (16, verified). A wrong checksum earns
///   nothing but is not invalid: a NAT may have rewritten the outer addresses (§8.3.1).</item>
/// <item>UDP (§8.3.2): Length exact (16, verified), non-zero checksum correct (16, verified). A Length shorter than the
///   space is allowed (TFC padding, RFC 4303 §2.7) and then gives the cleartext length.</item>
/// <item>ICMP (§8.3.3): a known type with a valid code (6), checksum (16, verified; no addresses involved).</item>
/// <item>ICMPv6: a known type with a valid code (6), checksum with the pseudo-header (16, verified).</item>
/// <item>SCTP (§8.3.4): chunk lengths tile the packet exactly (16, verified), a known first chunk type (4). The CRC32c
///   is not computed.</item>
/// </list>
/// Transport-mode checksums use the outer addresses the caller passes; without them only structure is checked.
/// </remarks>
internal static class EspInnerChecks
{
    private const byte ProtocolHopByHop = 0;
    private const byte ProtocolIcmp = 1;
    private const byte ProtocolIPv4 = 4;
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;
    private const byte ProtocolIPv6 = 41;
    private const byte ProtocolRouting = 43;
    private const byte ProtocolIcmpV6 = 58;
    private const byte ProtocolDestinationOptions = 60;
    private const byte ProtocolSctp = 132;

    private const int MaxExtensionHeaders = 8;
    private const int KnownTypeBits = 6;

    /// <summary>Checks <paramref name="payload"/> (the octets between the ESP IV and the padding) as
    /// <paramref name="protocol"/>.</summary>
    /// <param name="protocol">The ESP Next Header.</param>
    /// <param name="payload">The octets between the ESP IV and the padding.</param>
    /// <param name="pseudo">Addresses for transport-mode checksums (the outer ones); may be unknown.</param>
    /// <param name="verifyChecksums">False on the NULL fast path: structure only.</param>
    /// <param name="tally">Receives the evidence.</param>
    /// <param name="innerLength">The length the inner header states (IP total length, UDP length), which excludes TFC
    /// padding; the payload length when the protocol has no length field.</param>
    public static EspInnerStatus Check(byte protocol, ReadOnlySpan<byte> payload, in PseudoHeader pseudo, bool verifyChecksums,
        ref EspCheckTally tally, out int innerLength) =>
        Check(protocol, payload, pseudo, verifyChecksums, depth: 0, ref tally, out innerLength);

    private static EspInnerStatus Check(byte protocol, ReadOnlySpan<byte> payload, in PseudoHeader pseudo, bool verify, int depth,
        ref EspCheckTally tally, out int innerLength)
    {
        innerLength = payload.Length;
        switch (protocol)
        {
            case ProtocolIcmp:
                return Icmp(payload, verify, ref tally);
            case ProtocolTcp:
                return Tcp(payload, pseudo, verify, ref tally);
            case ProtocolUdp:
                return Udp(payload, pseudo, verify, ref tally, out innerLength);
            case ProtocolIcmpV6:
                return IcmpV6(payload, pseudo, verify, ref tally);
            case ProtocolSctp:
                return Sctp(payload, ref tally);
            case ProtocolIPv4 when depth == 0:
                return IPv4(payload, verify, ref tally, out innerLength);
            case ProtocolIPv6 when depth == 0:
                return IPv6(payload, verify, ref tally, out innerLength);
            case ProtocolHopByHop or ProtocolRouting or ProtocolDestinationOptions when pseudo.IsIPv6:
                return ExtensionHeaders(protocol, payload, pseudo, verify, depth, ref tally, out innerLength);
            default:
                return EspInnerStatus.Unchecked;
        }
    }

    private static EspInnerStatus IPv4(ReadOnlySpan<byte> packet, bool verify, ref EspCheckTally tally, out int innerLength)
    {
        innerLength = packet.Length;
        if (packet.Length < 20 || packet[0] >> 4 != 4)
        {
            return EspInnerStatus.Invalid;
        }
        int headerLength = (packet[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (headerLength < 20 || headerLength > packet.Length || totalLength < headerLength || totalLength > packet.Length)
        {
            return EspInnerStatus.Invalid;
        }
        if (verify && !InternetChecksum.IsValid(0, packet[..headerLength]))
        {
            return EspInnerStatus.Invalid;
        }
        tally.Add(4);
        if (headerLength == 20)
        {
            tally.Add(4);
        }
        if (verify)
        {
            tally.AddVerified();
        }
        if (totalLength == packet.Length)
        {
            tally.AddVerified();
        }
        innerLength = totalLength;
        bool fragment = (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF) != 0;
        if (!fragment)
        {
            AddUpperLayer(packet[9], packet[headerLength..totalLength], PseudoHeader.FromIPv4Header(packet), verify, ref tally);
        }
        return EspInnerStatus.Valid;
    }

    private static EspInnerStatus IPv6(ReadOnlySpan<byte> packet, bool verify, ref EspCheckTally tally, out int innerLength)
    {
        innerLength = packet.Length;
        if (packet.Length < 40 || packet[0] >> 4 != 6)
        {
            return EspInnerStatus.Invalid;
        }
        int end = 40 + BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        if (end > packet.Length)
        {
            return EspInnerStatus.Invalid;
        }
        tally.Add(4);
        if (end == packet.Length)
        {
            tally.AddVerified();
        }
        innerLength = end;
        AddUpperLayer(packet[6], packet[40..end], PseudoHeader.FromIPv6Header(packet), verify, ref tally);
        return EspInnerStatus.Valid;
    }

    /// <summary>Adds the evidence of a tunnelled packet's upper layer; its failures cost nothing, the IP header already
    /// decided validity.</summary>
    private static void AddUpperLayer(byte protocol, ReadOnlySpan<byte> segment, in PseudoHeader pseudo, bool verify, ref EspCheckTally tally)
    {
        EspCheckTally upper = default;
        if (Check(protocol, segment, pseudo, verify, depth: 1, ref upper, out _) == EspInnerStatus.Valid)
        {
            tally.Bits += upper.Bits;
            tally.Verified += upper.Verified;
        }
    }

    private static EspInnerStatus ExtensionHeaders(byte protocol, ReadOnlySpan<byte> payload, in PseudoHeader pseudo, bool verify, int depth,
        ref EspCheckTally tally, out int innerLength)
    {
        innerLength = payload.Length;
        int offset = 0;
        byte next = protocol;
        for (int count = 0; next is ProtocolHopByHop or ProtocolRouting or ProtocolDestinationOptions; count++)
        {
            if (count == MaxExtensionHeaders)
            {
                return EspInnerStatus.Unchecked;
            }
            if (payload.Length - offset < 8)
            {
                return EspInnerStatus.Invalid;
            }
            int length = (payload[offset + 1] + 1) * 8;
            if (payload.Length - offset < length)
            {
                return EspInnerStatus.Invalid;
            }
            next = payload[offset];
            offset += length;
        }
        EspInnerStatus status = Check(next, payload[offset..], pseudo, verify, depth, ref tally, out int upperLength);
        innerLength = offset + upperLength;
        return status;
    }

    private static EspInnerStatus Tcp(ReadOnlySpan<byte> segment, in PseudoHeader pseudo, bool verify, ref EspCheckTally tally)
    {
        if (segment.Length < 20)
        {
            return EspInnerStatus.Invalid;
        }
        int dataOffset = (segment[12] >> 4) * 4;
        if (dataOffset < 20 || dataOffset > segment.Length)
        {
            return EspInnerStatus.Invalid;
        }
        const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Ack = 0x10, Urg = 0x20;
        byte flags = segment[13];
        if ((flags & Syn) != 0 && (flags & (Fin | Rst)) != 0)
        {
            return EspInnerStatus.Invalid;
        }
        if (dataOffset > 20 && !TcpOptionsWellFormed(segment[20..dataOffset]))
        {
            return EspInnerStatus.Invalid;
        }
        tally.Add(4);
        if ((segment[12] & 0x0E) == 0)
        {
            tally.Add(3);
        }
        if ((flags & Urg) == 0 && BinaryPrimitives.ReadUInt16BigEndian(segment[18..]) == 0)
        {
            tally.Add(16);
        }
        if ((flags & Ack) == 0 && BinaryPrimitives.ReadUInt32BigEndian(segment[8..]) == 0)
        {
            tally.Add(32);
        }
        if (verify && pseudo.IsKnown && InternetChecksum.IsValid(pseudo.Sum(ProtocolTcp, segment.Length), segment))
        {
            tally.AddVerified();
        }
        return EspInnerStatus.Valid;
    }

    private static bool TcpOptionsWellFormed(ReadOnlySpan<byte> options)
    {
        int i = 0;
        while (i < options.Length)
        {
            byte kind = options[i];
            if (kind == 0)
            {
                return true;
            }
            if (kind == 1)
            {
                i++;
                continue;
            }
            if (options.Length - i < 2)
            {
                return false;
            }
            int length = options[i + 1];
            if (length < 2 || options.Length - i < length)
            {
                return false;
            }
            i += length;
        }
        return true;
    }

    private static EspInnerStatus Udp(ReadOnlySpan<byte> datagram, in PseudoHeader pseudo, bool verify, ref EspCheckTally tally, out int innerLength)
    {
        innerLength = datagram.Length;
        if (datagram.Length < 8)
        {
            return EspInnerStatus.Invalid;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]);
        if (length < 8 || length > datagram.Length)
        {
            return EspInnerStatus.Invalid;
        }
        if (length == datagram.Length)
        {
            tally.AddVerified();
        }
        innerLength = length;
        bool hasChecksum = BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]) != 0;
        if (hasChecksum && verify && pseudo.IsKnown && InternetChecksum.IsValid(pseudo.Sum(ProtocolUdp, length), datagram[..length]))
        {
            tally.AddVerified();
        }
        return EspInnerStatus.Valid;
    }

    private static EspInnerStatus Icmp(ReadOnlySpan<byte> message, bool verify, ref EspCheckTally tally)
    {
        if (message.Length < 8)
        {
            return EspInnerStatus.Invalid;
        }
        if (IsKnownIcmp(message[0], message[1]))
        {
            tally.Add(KnownTypeBits);
        }
        if (verify && InternetChecksum.IsValid(0, message))
        {
            tally.AddVerified();
        }
        return EspInnerStatus.Valid;
    }

    private static EspInnerStatus IcmpV6(ReadOnlySpan<byte> message, in PseudoHeader pseudo, bool verify, ref EspCheckTally tally)
    {
        if (message.Length < 8)
        {
            return EspInnerStatus.Invalid;
        }
        if (IsKnownIcmpV6(message[0], message[1]))
        {
            tally.Add(KnownTypeBits);
        }
        if (verify && pseudo.IsKnown && InternetChecksum.IsValid(pseudo.Sum(ProtocolIcmpV6, message.Length), message))
        {
            tally.AddVerified();
        }
        return EspInnerStatus.Valid;
    }

    private static EspInnerStatus Sctp(ReadOnlySpan<byte> packet, ref EspCheckTally tally)
    {
        // Common header (12) and at least one chunk header (4), RFC 9260 §3.
        if (packet.Length < 16)
        {
            return EspInnerStatus.Invalid;
        }
        int offset = 12;
        int chunkEnd = offset;
        while (offset < packet.Length)
        {
            if (packet.Length - offset < 4)
            {
                return EspInnerStatus.Invalid;
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            if (length < 4 || packet.Length - offset < length)
            {
                return EspInnerStatus.Invalid;
            }
            chunkEnd = offset + length;
            offset = (chunkEnd + 3) & ~3;
        }
        if (chunkEnd == packet.Length || offset == packet.Length)
        {
            tally.AddVerified();
        }
        byte firstType = packet[12];
        if (firstType <= 15 || firstType is 64 or 128 or 130 or 132 or 192 or 193)
        {
            tally.Add(4);
        }
        return EspInnerStatus.Valid;
    }

    /// <summary>ICMP types in current use (IANA "ICMP Type Numbers") with their defined codes.</summary>
    private static bool IsKnownIcmp(byte type, byte code) => type switch
    {
        0 or 8 or 13 or 14 or 42 => code == 0,
        3 => code <= 15,
        5 => code <= 3,
        9 => code is 0 or 16,
        10 => code == 0,
        11 => code <= 1,
        12 => code <= 2,
        43 => code <= 4,
        _ => false,
    };

    /// <summary>ICMPv6 types in current use (IANA "ICMPv6 Parameters") with their defined codes.</summary>
    private static bool IsKnownIcmpV6(byte type, byte code) => type switch
    {
        1 => code <= 8,
        2 => code == 0,
        3 => code <= 1,
        4 => code <= 3,
        >= 128 and <= 137 => code == 0,
        >= 138 and <= 161 => true,
        _ => false,
    };
}
