using System.Buffers.Binary;

namespace Visibility.Engine.Tests.Defrag;

/// <summary>Builds raw IPv4 and IPv6 fragments of a payload, the way a sending host splits a datagram.</summary>
internal static class FragmentBuilder
{
    public static byte[] IPv4(byte[] src, byte[] dst, byte protocol, ushort id, int offset, bool more, ReadOnlySpan<byte> data)
    {
        var packet = new byte[20 + data.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)((more ? 0x2000 : 0) | (offset / 8)));
        packet[8] = 64;
        packet[9] = protocol;
        src.CopyTo(packet, 12);
        dst.CopyTo(packet, 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(packet.AsSpan(0, 20)));
        data.CopyTo(packet.AsSpan(20));
        return packet;
    }

    public static byte[] IPv6(byte[] src, byte[] dst, byte nextHeader, uint id, int offset, bool more, ReadOnlySpan<byte> data)
    {
        var packet = new byte[40 + 8 + data.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(8 + data.Length));
        packet[6] = 44;
        packet[7] = 64;
        src.CopyTo(packet, 8);
        dst.CopyTo(packet, 24);
        packet[40] = nextHeader;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(42), (ushort)(offset | (more ? 1 : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(44), id);
        data.CopyTo(packet.AsSpan(48));
        return packet;
    }

    /// <summary>A UDP datagram (header + payload) with a zero checksum, as the upper layer to be fragmented.</summary>
    public static byte[] Udp(ushort sourcePort, ushort destinationPort, int payloadLength, byte seed)
    {
        var udp = new byte[8 + payloadLength];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        for (int i = 8; i < udp.Length; i++)
        {
            udp[i] = (byte)(seed + i);
        }
        return udp;
    }

    public static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
