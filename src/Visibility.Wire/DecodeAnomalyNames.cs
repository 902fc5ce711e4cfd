namespace Visibility.Wire;

/// <summary>Stable EVE names for <see cref="DecodeAnomaly"/>: <c>layer.reason</c>, after Suricata's decoder events
/// where one exists.</summary>
public static class DecodeAnomalyNames
{
    /// <summary>All anomalies except <see cref="DecodeAnomaly.None"/>, for completeness checks and counters.</summary>
    public static ReadOnlySpan<DecodeAnomaly> All => s_all;

    private static readonly DecodeAnomaly[] s_all = Enum.GetValues<DecodeAnomaly>().Where(a => a != DecodeAnomaly.None).ToArray();

    /// <summary>The full event name, for example <c>ipv4.trunc_pkt</c>.</summary>
    public static string EventName(DecodeAnomaly anomaly) => anomaly switch
    {
        DecodeAnomaly.LinkPacketTooSmall => "link.pkt_too_small",
        DecodeAnomaly.UnsupportedLinkType => "link.unsupported_type",
        DecodeAnomaly.EthernetPacketTooSmall => "ethernet.pkt_too_small",
        DecodeAnomaly.VlanHeaderTooSmall => "vlan.header_too_small",
        DecodeAnomaly.VlanTooManyLayers => "vlan.too_many_layers",
        DecodeAnomaly.SllPacketTooSmall => "sll.pkt_too_small",
        DecodeAnomaly.NullPacketTooSmall => "null.pkt_too_small",
        DecodeAnomaly.RawInvalidIPVersion => "ipraw.invalid_ip_version",
        DecodeAnomaly.IPv4PacketTooSmall => "ipv4.pkt_too_small",
        DecodeAnomaly.IPv4HeaderLengthTooSmall => "ipv4.hlen_too_small",
        DecodeAnomaly.IPv4TotalLengthSmallerThanHeader => "ipv4.iplen_smaller_than_hlen",
        DecodeAnomaly.IPv4Truncated => "ipv4.trunc_pkt",
        DecodeAnomaly.IPv4WrongVersion => "ipv4.wrong_ip_version",
        DecodeAnomaly.IPv4OptionInvalid => "ipv4.opt_invalid",
        DecodeAnomaly.IPv4FragmentOverlap => "ipv4.frag_overlap",
        DecodeAnomaly.IPv4FragmentTooLarge => "ipv4.frag_pkt_too_large",
        DecodeAnomaly.IPv6PacketTooSmall => "ipv6.pkt_too_small",
        DecodeAnomaly.IPv6Truncated => "ipv6.trunc_pkt",
        DecodeAnomaly.IPv6ExtensionHeaderTruncated => "ipv6.trunc_exthdr",
        DecodeAnomaly.IPv6WrongVersion => "ipv6.wrong_ip_version",
        DecodeAnomaly.IPv6FragmentOverlap => "ipv6.frag_overlap",
        DecodeAnomaly.IPv6FragmentTooLarge => "ipv6.frag_pkt_too_large",
        DecodeAnomaly.IPv6TooManyExtensionHeaders => "ipv6.exthdr_too_many",
        DecodeAnomaly.FragmentTableFull => "defrag.table_full",
        DecodeAnomaly.FragmentTimeout => "defrag.timeout",
        DecodeAnomaly.TcpPacketTooSmall => "tcp.pkt_too_small",
        DecodeAnomaly.TcpHeaderLengthTooSmall => "tcp.hlen_too_small",
        DecodeAnomaly.UdpPacketTooSmall => "udp.pkt_too_small",
        DecodeAnomaly.UdpLengthInvalid => "udp.len_invalid",
        DecodeAnomaly.IcmpPacketTooSmall => "icmpv4.pkt_too_small",
        DecodeAnomaly.IcmpV6PacketTooSmall => "icmpv6.pkt_too_small",
        DecodeAnomaly.AhPacketTooSmall => "ah.pkt_too_small",
        DecodeAnomaly.EspPacketTooSmall => "esp.pkt_too_small",
        DecodeAnomaly.EspZeroSpi => "esp.zero_spi",
        DecodeAnomaly.EspBadTrailer => "esp.bad_trailer",
        DecodeAnomaly.WespPacketTooSmall => "wesp.pkt_too_small",
        DecodeAnomaly.WespBadVersion => "wesp.bad_version",
        DecodeAnomaly.WespBadHeaderLength => "wesp.bad_hdr_len",
        DecodeAnomaly.WespBadTrailerLength => "wesp.bad_trailer_len",
        DecodeAnomaly.WespBadPadding => "wesp.bad_padding",
        DecodeAnomaly.WespBadFlags => "wesp.bad_flags",
        DecodeAnomaly.WespBadNextHeader => "wesp.bad_next_header",
        DecodeAnomaly.WespPayloadMismatch => "wesp.payload_mismatch",
        DecodeAnomaly.IkePacketTooSmall => "ike.pkt_too_small",
        DecodeAnomaly.IkeMalformed => "ike.malformed",
        DecodeAnomaly.IkeBadLength => "ike.bad_length",
        DecodeAnomaly.IkePayloadTruncated => "ike.payload_truncated",
        DecodeAnomaly.IkePayloadBadLength => "ike.payload_bad_length",
        DecodeAnomaly.IkeChainUnterminated => "ike.chain_unterminated",
        DecodeAnomaly.IkeTrailingData => "ike.trailing_data",
        DecodeAnomaly.IkeUnsupportedVersion => "ike.unsupported_version",
        _ => "unknown.unknown",
    };

    /// <summary>The layer part of the event name, for example <c>ipv4</c>.</summary>
    public static string Layer(DecodeAnomaly anomaly) => anomaly switch
    {
        DecodeAnomaly.LinkPacketTooSmall or DecodeAnomaly.UnsupportedLinkType => "link",
        DecodeAnomaly.EthernetPacketTooSmall => "ethernet",
        DecodeAnomaly.VlanHeaderTooSmall or DecodeAnomaly.VlanTooManyLayers => "vlan",
        DecodeAnomaly.SllPacketTooSmall => "sll",
        DecodeAnomaly.NullPacketTooSmall => "null",
        DecodeAnomaly.RawInvalidIPVersion => "ipraw",
        >= DecodeAnomaly.IPv4PacketTooSmall and <= DecodeAnomaly.IPv4FragmentTooLarge => "ipv4",
        >= DecodeAnomaly.IPv6PacketTooSmall and <= DecodeAnomaly.IPv6TooManyExtensionHeaders => "ipv6",
        DecodeAnomaly.FragmentTableFull or DecodeAnomaly.FragmentTimeout => "defrag",
        DecodeAnomaly.TcpPacketTooSmall or DecodeAnomaly.TcpHeaderLengthTooSmall => "tcp",
        DecodeAnomaly.UdpPacketTooSmall or DecodeAnomaly.UdpLengthInvalid => "udp",
        DecodeAnomaly.IcmpPacketTooSmall => "icmpv4",
        DecodeAnomaly.IcmpV6PacketTooSmall => "icmpv6",
        DecodeAnomaly.AhPacketTooSmall => "ah",
        >= DecodeAnomaly.EspPacketTooSmall and <= DecodeAnomaly.EspBadTrailer => "esp",
        >= DecodeAnomaly.WespPacketTooSmall and <= DecodeAnomaly.WespPayloadMismatch => "wesp",
        >= DecodeAnomaly.IkePacketTooSmall and <= DecodeAnomaly.IkeUnsupportedVersion => "ike",
        _ => "unknown",
    };
}
