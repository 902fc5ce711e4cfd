using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>One Configuration Attribute of a CP payload.</summary>
/// <remarks>
/// RFC 7296 §3.15.1:
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |R|         Attribute Type      |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                             Value                             ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Types: 1 INTERNAL_IP4_ADDRESS, 2 INTERNAL_IP4_NETMASK, 3 INTERNAL_IP4_DNS, 4 INTERNAL_IP4_NBNS, 6 INTERNAL_IP4_DHCP,
/// 7 APPLICATION_VERSION, 8 INTERNAL_IP6_ADDRESS, 10 INTERNAL_IP6_DNS, 12 INTERNAL_IP6_DHCP, 13 INTERNAL_IP4_SUBNET,
/// 14 SUPPORTED_ATTRIBUTES, 15 INTERNAL_IP6_SUBNET; RFC 5739: 17 INTERNAL_IP6_LINK, 18 INTERNAL_IP6_PREFIX.
/// </remarks>
public readonly ref struct IkeConfigurationAttribute
{
    internal IkeConfigurationAttribute(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    public ReadOnlySpan<byte> Bytes { get; }

    public ushort Type => (ushort)(BinaryPrimitives.ReadUInt16BigEndian(Bytes) & 0x7FFF);

    public ReadOnlySpan<byte> Value => Bytes[4..];
}
