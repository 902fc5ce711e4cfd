using Visibility.Wire.Decoding;

namespace Visibility.Wire;

public static partial class PacketDecoder
{
    private static void DecodeEthernet(ReadOnlySpan<byte> frame, ref PacketMeta meta)
    {
        if (!EthernetHeader.TryRead(frame, out EthernetHeader ethernet))
        {
            meta.Anomaly = DecodeAnomaly.EthernetPacketTooSmall;
            return;
        }
        DecodeEtherType(frame, EthernetHeader.Length, ethernet.EtherType, ref meta);
    }

    private static void DecodeLinuxSll(ReadOnlySpan<byte> frame, ref PacketMeta meta)
    {
        if (!LinuxSllHeader.TryRead(frame, out LinuxSllHeader sll))
        {
            meta.Anomaly = DecodeAnomaly.SllPacketTooSmall;
            return;
        }
        DecodeEtherType(frame, LinuxSllHeader.Length, sll.ProtocolType, ref meta);
    }

    private static void DecodeLinuxSll2(ReadOnlySpan<byte> frame, ref PacketMeta meta)
    {
        if (!LinuxSll2Header.TryRead(frame, out LinuxSll2Header sll))
        {
            meta.Anomaly = DecodeAnomaly.SllPacketTooSmall;
            return;
        }
        DecodeEtherType(frame, LinuxSll2Header.Length, sll.ProtocolType, ref meta);
    }

    private static void DecodeLoopback(ReadOnlySpan<byte> frame, ref PacketMeta meta)
    {
        if (!LoopbackHeader.TryRead(frame, out LoopbackHeader loopback))
        {
            meta.Anomaly = DecodeAnomaly.NullPacketTooSmall;
            return;
        }
        uint family = loopback.Family;
        if (family == LoopbackHeader.FamilyInet)
        {
            DecodeIPv4(frame, LoopbackHeader.Length, ref meta);
        }
        else if (LoopbackHeader.IsInet6(family))
        {
            DecodeIPv6(frame, LoopbackHeader.Length, ref meta);
        }
        // Other families (e.g. AF_APPLETALK) carry no IP: nothing above the link layer, and nothing wrong.
    }

    /// <summary>Walks VLAN tags (IEEE 802.1Q §9.6) from <paramref name="offset"/>, then dispatches IPv4 or IPv6.
    /// Any other EtherType (ARP, LLC lengths, MPLS...) leaves <see cref="PacketMeta.Kind"/> None without anomaly.</summary>
    private static void DecodeEtherType(ReadOnlySpan<byte> frame, int offset, ushort etherType, ref PacketMeta meta)
    {
        while (VlanTag.IsTagProtocol(etherType))
        {
            if (meta.VlanCount == MaxVlanTags)
            {
                meta.Anomaly = DecodeAnomaly.VlanTooManyLayers;
                return;
            }
            if (!VlanTag.TryRead(frame[offset..], out VlanTag tag))
            {
                meta.Anomaly = DecodeAnomaly.VlanHeaderTooSmall;
                return;
            }
            if (meta.VlanCount == 0)
            {
                meta.OuterVlan = tag.VlanId;
            }
            else if (meta.VlanCount == 1)
            {
                meta.InnerVlan = tag.VlanId;
            }
            meta.VlanCount++;
            etherType = tag.EtherType;
            offset += VlanTag.Length;
        }

        if (etherType == (ushort)EtherType.IPv4)
        {
            DecodeIPv4(frame, offset, ref meta);
        }
        else if (etherType == (ushort)EtherType.IPv6)
        {
            DecodeIPv6(frame, offset, ref meta);
        }
    }
}
