namespace Visibility.Wire;

/// <summary>Why a packet (or one layer of it) could not be decoded. Each value is an EVE <c>anomaly</c>
/// event named <c>layer.reason</c> (see <see cref="DecodeAnomalyNames"/>) and can be matched by a rule.</summary>
/// <remarks>Values are stable: they appear in counters and rules. Append, never renumber.</remarks>
public enum DecodeAnomaly : byte
{
    None = 0,

    LinkPacketTooSmall = 1,
    UnsupportedLinkType = 2,
    EthernetPacketTooSmall = 3,
    VlanHeaderTooSmall = 4,
    VlanTooManyLayers = 5,
    SllPacketTooSmall = 6,
    NullPacketTooSmall = 7,
    /// <summary>A bare IP packet (raw link types, reassembled or decapsulated datagrams) whose version nibble is
    /// neither 4 nor 6.</summary>
    RawInvalidIPVersion = 8,

    IPv4PacketTooSmall = 10,
    IPv4HeaderLengthTooSmall = 11,
    IPv4TotalLengthSmallerThanHeader = 12,
    IPv4Truncated = 13,
    IPv4WrongVersion = 14,
    IPv4OptionInvalid = 15,
    IPv4FragmentOverlap = 16,
    IPv4FragmentTooLarge = 17,

    IPv6PacketTooSmall = 20,
    IPv6Truncated = 21,
    IPv6ExtensionHeaderTruncated = 22,
    IPv6WrongVersion = 23,
    IPv6FragmentOverlap = 24,
    IPv6FragmentTooLarge = 25,
    IPv6TooManyExtensionHeaders = 26,

    FragmentTableFull = 27,
    FragmentTimeout = 28,

    TcpPacketTooSmall = 30,
    TcpHeaderLengthTooSmall = 31,
    UdpPacketTooSmall = 32,
    UdpLengthInvalid = 33,
    IcmpPacketTooSmall = 34,
    IcmpV6PacketTooSmall = 35,
    AhPacketTooSmall = 36,

    EspPacketTooSmall = 40,
    EspZeroSpi = 41,
    EspBadTrailer = 42,

    WespPacketTooSmall = 50,
    WespBadVersion = 51,
    WespBadHeaderLength = 52,
    WespBadTrailerLength = 53,
    WespBadPadding = 54,
    WespBadFlags = 55,
    WespBadNextHeader = 56,
    /// <summary>WESP says integrity-only (E = 0) but the payload at HdrLen is not a valid header of the stated
    /// Next Header (RFC 5840 §3: the WESP fields are not protected by the ICV).</summary>
    WespPayloadMismatch = 57,

    IkePacketTooSmall = 60,
    IkeMalformed = 61,
    IkeBadLength = 62,
    IkePayloadTruncated = 63,
    IkePayloadBadLength = 64,
    IkeChainUnterminated = 65,
    IkeTrailingData = 66,
    IkeUnsupportedVersion = 67,
}
