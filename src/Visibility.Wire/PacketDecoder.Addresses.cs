using Visibility.Wire.Decoding;

namespace Visibility.Wire;

public static partial class PacketDecoder
{
    /// <summary>Reads only the outer IP address pair of a captured frame: the link layer (VLAN tags included) and the
    /// fixed IP header, nothing above. Agrees with <see cref="Decode"/>: true exactly when it would set
    /// <see cref="PacketMeta.IPVersion"/>, with the same <see cref="PacketMeta.Source"/> and
    /// <see cref="PacketMeta.Destination"/> (for a reader that only needs to know where a frame belongs).</summary>
    /// <param name="frame">The captured bytes, starting with the link-layer header.</param>
    /// <param name="linkType">The capture's link type.</param>
    /// <param name="source">The outer source address, or default when false.</param>
    /// <param name="destination">The outer destination address, or default when false.</param>
    public static bool TryReadAddresses(ReadOnlySpan<byte> frame, LinkType linkType, out NetworkAddress source, out NetworkAddress destination)
    {
        source = default;
        destination = default;
        int offset;
        ushort etherType;
        switch (linkType)
        {
            case LinkType.Ethernet:
                if (!EthernetHeader.TryRead(frame, out EthernetHeader ethernet))
                {
                    return false;
                }
                offset = EthernetHeader.Length;
                etherType = ethernet.EtherType;
                break;
            case LinkType.LinuxSll:
                if (!LinuxSllHeader.TryRead(frame, out LinuxSllHeader sll))
                {
                    return false;
                }
                offset = LinuxSllHeader.Length;
                etherType = sll.ProtocolType;
                break;
            case LinkType.LinuxSll2:
                if (!LinuxSll2Header.TryRead(frame, out LinuxSll2Header sll2))
                {
                    return false;
                }
                offset = LinuxSll2Header.Length;
                etherType = sll2.ProtocolType;
                break;
            case LinkType.Raw:
            case LinkType.RawLegacy12:
            case LinkType.RawLegacy14:
                return !frame.IsEmpty && (frame[0] >> 4) switch
                {
                    4 => TryReadIPv4Addresses(frame, out source, out destination),
                    6 => TryReadIPv6Addresses(frame, out source, out destination),
                    _ => false,
                };
            case LinkType.IPv4:
                return TryReadIPv4Addresses(frame, out source, out destination);
            case LinkType.IPv6:
                return TryReadIPv6Addresses(frame, out source, out destination);
            case LinkType.Null:
            case LinkType.Loop:
                if (!LoopbackHeader.TryRead(frame, out LoopbackHeader loopback))
                {
                    return false;
                }
                uint family = loopback.Family;
                return family == LoopbackHeader.FamilyInet
                    ? TryReadIPv4Addresses(frame[LoopbackHeader.Length..], out source, out destination)
                    : LoopbackHeader.IsInet6(family) && TryReadIPv6Addresses(frame[LoopbackHeader.Length..], out source, out destination);
            default:
                return false;
        }
        // As DecodeEtherType: up to MaxVlanTags tags, then IPv4 or IPv6.
        for (int tags = 0; VlanTag.IsTagProtocol(etherType); tags++)
        {
            if (tags == MaxVlanTags || !VlanTag.TryRead(frame[offset..], out VlanTag tag))
            {
                return false;
            }
            etherType = tag.EtherType;
            offset += VlanTag.Length;
        }
        return etherType switch
        {
            (ushort)EtherType.IPv4 => TryReadIPv4Addresses(frame[offset..], out source, out destination),
            (ushort)EtherType.IPv6 => TryReadIPv6Addresses(frame[offset..], out source, out destination),
            _ => false,
        };
    }

    private static bool TryReadIPv4Addresses(ReadOnlySpan<byte> datagram, out NetworkAddress source, out NetworkAddress destination)
    {
        if (IPv4Header.TryRead(datagram, out IPv4Header ip) && ip.Version == 4)
        {
            source = ip.Source;
            destination = ip.Destination;
            return true;
        }
        source = destination = default;
        return false;
    }

    private static bool TryReadIPv6Addresses(ReadOnlySpan<byte> datagram, out NetworkAddress source, out NetworkAddress destination)
    {
        if (IPv6Header.TryRead(datagram, out IPv6Header ip) && ip.Version == 6)
        {
            source = ip.Source;
            destination = ip.Destination;
            return true;
        }
        source = destination = default;
        return false;
    }
}
