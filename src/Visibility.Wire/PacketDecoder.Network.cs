using Visibility.Wire.Decoding;

namespace Visibility.Wire;

public static partial class PacketDecoder
{
    /// <summary>Bare IP: the version nibble of the first octet chooses the decoder (LINKTYPE_RAW, reassembled
    /// datagrams, tunnel-mode inner packets).</summary>
    private static void DecodeIPByVersion(ReadOnlySpan<byte> datagram, ref PacketMeta meta)
    {
        if (datagram.IsEmpty)
        {
            meta.Anomaly = DecodeAnomaly.LinkPacketTooSmall;
            return;
        }
        switch (datagram[0] >> 4)
        {
            case 4:
                DecodeIPv4(datagram, 0, ref meta);
                break;
            case 6:
                DecodeIPv6(datagram, 0, ref meta);
                break;
            default:
                meta.Anomaly = DecodeAnomaly.RawInvalidIPVersion;
                break;
        }
    }

    /// <summary>IPv4 at <paramref name="offset"/> (RFC 791 §3.1); <paramref name="offset"/> is within the frame.</summary>
    private static void DecodeIPv4(ReadOnlySpan<byte> frame, int offset, ref PacketMeta meta)
    {
        if (!IPv4Header.TryRead(frame[offset..], out IPv4Header ip))
        {
            meta.Anomaly = DecodeAnomaly.IPv4PacketTooSmall;
            return;
        }
        if (ip.Version != 4)
        {
            meta.Anomaly = DecodeAnomaly.IPv4WrongVersion;
            return;
        }
        meta.IPVersion = 4;
        meta.NetworkOffset = offset;
        meta.Source = ip.Source;
        meta.Destination = ip.Destination;
        meta.Ttl = ip.TimeToLive;
        IPProtocol protocol = ip.Protocol;
        meta.Protocol = protocol;
        int headerLength = ip.HeaderLength;
        int totalLength = ip.TotalLength;
        int declaredEnd = offset + totalLength;
        SetNetworkEnd(frame.Length, declaredEnd, ref meta);

        if (headerLength < IPv4Header.MinimumLength)
        {
            meta.Anomaly = DecodeAnomaly.IPv4HeaderLengthTooSmall;
            return;
        }
        if (totalLength < headerLength)
        {
            meta.Anomaly = DecodeAnomaly.IPv4TotalLengthSmallerThanHeader;
            return;
        }
        if (declaredEnd > meta.OriginalLength)
        {
            // Longer than the frame was on the wire: the sender's fault, not the snap length's.
            meta.Anomaly = DecodeAnomaly.IPv4Truncated;
            return;
        }
        int headerEnd = offset + headerLength;
        if (headerEnd > frame.Length)
        {
            // Only reachable when the capture cut the frame inside the options.
            meta.Anomaly = DecodeAnomaly.IPv4PacketTooSmall;
            return;
        }
        if (headerLength > IPv4Header.MinimumLength
            && !IPv4Header.AreOptionsWellFormed(frame[(offset + IPv4Header.MinimumLength)..headerEnd]))
        {
            meta.Anomaly = DecodeAnomaly.IPv4OptionInvalid;
            return;
        }
        if (ip.IsFragment)
        {
            meta.IsFragment = true;
            meta.FragmentId = ip.Identification;
            meta.FragmentOffset = ip.FragmentOffset;
            meta.MoreFragments = ip.MoreFragments;
            meta.FragmentPayloadOffset = headerEnd;
            meta.FragmentNextHeader = protocol;
            return;
        }
        DecodeAboveIP(frame, headerEnd, meta.NetworkEnd, declaredEnd, protocol, isIPv6: false, ref meta);
    }

    /// <summary>IPv6 at <paramref name="offset"/> (RFC 8200 §3); <paramref name="offset"/> is within the frame.</summary>
    private static void DecodeIPv6(ReadOnlySpan<byte> frame, int offset, ref PacketMeta meta)
    {
        if (!IPv6Header.TryRead(frame[offset..], out IPv6Header ip))
        {
            meta.Anomaly = DecodeAnomaly.IPv6PacketTooSmall;
            return;
        }
        if (ip.Version != 6)
        {
            meta.Anomaly = DecodeAnomaly.IPv6WrongVersion;
            return;
        }
        meta.IPVersion = 6;
        meta.NetworkOffset = offset;
        meta.Source = ip.Source;
        meta.Destination = ip.Destination;
        meta.Ttl = ip.HopLimit;
        IPProtocol nextHeader = ip.NextHeader;
        meta.Protocol = nextHeader;
        // A Payload Length of 0 with a Jumbo Payload option (RFC 2675) is not supported: such a datagram reads as
        // 40 octets long and its Hop-by-Hop header as truncated.
        int declaredEnd = offset + IPv6Header.Length + ip.PayloadLength;
        SetNetworkEnd(frame.Length, declaredEnd, ref meta);
        if (declaredEnd > meta.OriginalLength)
        {
            meta.Anomaly = DecodeAnomaly.IPv6Truncated;
            return;
        }
        DecodeAboveIP(frame, offset + IPv6Header.Length, meta.NetworkEnd, declaredEnd, nextHeader, isIPv6: true, ref meta);
    }

    private static void SetNetworkEnd(int capturedEnd, int declaredEnd, ref PacketMeta meta)
    {
        bool complete = declaredEnd <= capturedEnd;
        meta.NetworkComplete = complete;
        meta.NetworkEnd = complete ? declaredEnd : capturedEnd;
    }

    /// <summary>Walks the headers between IP and the upper layer, then decodes the upper layer.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="offset">First octet after the IP header; at most <paramref name="end"/>.</param>
    /// <param name="end">End of the datagram's captured bytes (<see cref="PacketMeta.NetworkEnd"/>).</param>
    /// <param name="declaredEnd">End of the datagram as its length field says (at least <paramref name="end"/>).</param>
    /// <param name="next">The IP Protocol / Next Header value.</param>
    /// <param name="isIPv6">IPv6 walks Hop-by-Hop, Routing, Destination Options and Fragment headers; IPv4 only AH.</param>
    /// <param name="meta">The packet being decoded.</param>
    private static void DecodeAboveIP(ReadOnlySpan<byte> frame, int offset, int end, int declaredEnd, IPProtocol next, bool isIPv6, ref PacketMeta meta)
    {
        // IPv4 nests nothing but AH, which is at least 12 octets long, so its walk is bounded by the datagram length.
        int walked = 0;
        while (true)
        {
            meta.Protocol = next;
            if (next == IPProtocol.Ah)
            {
                // RFC 4302 §2.2: walked over so that the protected protocol (often ESP, RFC 4301 §4.3) is found.
                if (!AuthenticationHeader.TryRead(frame[offset..end], out AuthenticationHeader ah))
                {
                    meta.Anomaly = DecodeAnomaly.AhPacketTooSmall;
                    return;
                }
                meta.HasAh = true;
                next = ah.NextHeader;
                offset += ah.Length;
            }
            else if (!isIPv6)
            {
                break;
            }
            else if (next is IPProtocol.HopByHop or IPProtocol.Routing or IPProtocol.DestinationOptions)
            {
                if (!IPv6ExtensionHeader.TryRead(frame[offset..end], out IPv6ExtensionHeader extension))
                {
                    meta.Anomaly = DecodeAnomaly.IPv6ExtensionHeaderTruncated;
                    return;
                }
                next = extension.NextHeader;
                offset += extension.Length;
            }
            else if (next == IPProtocol.Fragment)
            {
                if (!IPv6FragmentHeader.TryRead(frame[offset..end], out IPv6FragmentHeader fragment))
                {
                    meta.Anomaly = DecodeAnomaly.IPv6ExtensionHeaderTruncated;
                    return;
                }
                if (!fragment.IsAtomic)
                {
                    meta.IsFragment = true;
                    meta.FragmentId = fragment.Identification;
                    meta.FragmentOffset = fragment.FragmentOffset;
                    meta.MoreFragments = fragment.MoreFragments;
                    meta.FragmentPayloadOffset = offset + IPv6FragmentHeader.Length;
                    meta.FragmentNextHeader = fragment.NextHeader;
                    return;
                }
                // RFC 6946 §4: an atomic fragment is processed on its own, as if the header were absent.
                next = fragment.NextHeader;
                offset += IPv6FragmentHeader.Length;
            }
            else
            {
                break;
            }

            if (isIPv6 && ++walked > MaxExtensionHeaders)
            {
                meta.Anomaly = DecodeAnomaly.IPv6TooManyExtensionHeaders;
                return;
            }
        }
        meta.TransportOffset = offset;
        DecodeTransportCore(frame, offset, end, declaredEnd, next, ref meta);
    }
}
