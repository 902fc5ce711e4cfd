using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>One Traffic Selector substructure.</summary>
/// <remarks>
/// RFC 7296 §3.13.1:
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   TS Type     |IP Protocol ID*|       Selector Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Start Port*         |           End Port*           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                         Starting Address*                     ~
/// ~                         Ending Address*                       ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// TS_IPV4_ADDR_RANGE is 16 octets (4-octet addresses), TS_IPV6_ADDR_RANGE 40 (16-octet addresses). The fields
/// marked * are defined for those two types only; other types expose <see cref="Bytes"/>. IP protocol 0 is any;
/// ports 0-65535 are any; for ICMP the port carries type &lt;&lt; 8 | code.
/// </remarks>
public readonly ref struct IkeTrafficSelector
{
    public const int IPv4RangeLength = 16;
    public const int IPv6RangeLength = 40;

    internal IkeTrafficSelector(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    public ReadOnlySpan<byte> Bytes { get; }

    public TrafficSelectorType Type => (TrafficSelectorType)Bytes[0];

    public int Length => BinaryPrimitives.ReadUInt16BigEndian(Bytes[2..]);

    /// <summary>True for TS_IPV4_ADDR_RANGE and TS_IPV6_ADDR_RANGE with their exact lengths.</summary>
    public bool IsAddressRange => (Type == TrafficSelectorType.IPv4AddressRange && Bytes.Length == IPv4RangeLength)
        || (Type == TrafficSelectorType.IPv6AddressRange && Bytes.Length == IPv6RangeLength);

    public IPProtocol IPProtocol => (IPProtocol)Bytes[1];

    public ushort StartPort => IsAddressRange ? BinaryPrimitives.ReadUInt16BigEndian(Bytes[4..]) : (ushort)0;

    public ushort EndPort => IsAddressRange ? BinaryPrimitives.ReadUInt16BigEndian(Bytes[6..]) : (ushort)0;

    public ReadOnlySpan<byte> StartAddress => IsAddressRange ? Bytes.Slice(8, (Bytes.Length - 8) / 2) : [];

    public ReadOnlySpan<byte> EndAddress => IsAddressRange ? Bytes[(8 + ((Bytes.Length - 8) / 2))..] : [];

    public NetworkAddress StartNetworkAddress => ToAddress(StartAddress);

    public NetworkAddress EndNetworkAddress => ToAddress(EndAddress);

    private static NetworkAddress ToAddress(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => NetworkAddress.FromIPv4(bytes),
        16 => NetworkAddress.FromIPv6(bytes),
        _ => default,
    };
}
