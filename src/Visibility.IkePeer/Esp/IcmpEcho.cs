using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Visibility.IkePeer.Esp;

/// <summary>An ICMP or ICMPv6 echo request/reply carried in an inner IP packet.</summary>
/// <remarks>
/// IPv4 (RFC 791, 20-octet header) + ICMP (RFC 792: type 8 request / 0 reply, code, checksum, identifier, sequence);
/// IPv6 (RFC 8200, 40-octet header) + ICMPv6 (RFC 4443: type 128 request / 129 reply; checksum over the pseudo-header).
/// </remarks>
internal sealed record IcmpEcho(IPAddress Source, IPAddress Destination, bool IsRequest, ushort Identifier, ushort Sequence, byte[] Data)
{
    public const byte ProtocolIcmp = 1;
    public const byte ProtocolIcmpV6 = 58;
    public const byte NextHeaderIPv4 = 4;
    public const byte NextHeaderIPv6 = 41;

    public bool IsIPv6 => Source.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The ESP Next Header of the packet in tunnel mode (4 or 41).</summary>
    public byte TunnelNextHeader => IsIPv6 ? NextHeaderIPv6 : NextHeaderIPv4;

    public IcmpEcho Reply() => this with { Source = Destination, Destination = Source, IsRequest = false };

    public static bool TryParse(ReadOnlySpan<byte> packet, out IcmpEcho? echo)
    {
        echo = null;
        if (packet.Length < 1)
        {
            return false;
        }

        var version = packet[0] >> 4;
        if (version == 4)
        {
            var headerLength = (packet[0] & 0x0F) * 4;
            if (packet.Length < headerLength + 8 || headerLength < 20 || packet[9] != ProtocolIcmp)
            {
                return false;
            }

            var total = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
            if (total < headerLength + 8 || total > packet.Length)
            {
                return false;
            }

            var icmp = packet[headerLength..total];
            if (icmp[0] is not (8 or 0) || icmp[1] != 0)
            {
                return false;
            }

            echo = new IcmpEcho(new IPAddress(packet.Slice(12, 4)), new IPAddress(packet.Slice(16, 4)), icmp[0] == 8,
                BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]), BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]), icmp[8..].ToArray());
            return true;
        }

        if (version == 6)
        {
            if (packet.Length < 48 || packet[6] != ProtocolIcmpV6)
            {
                return false;
            }

            var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
            if (payloadLength < 8 || 40 + payloadLength > packet.Length)
            {
                return false;
            }

            var icmp = packet.Slice(40, payloadLength);
            if (icmp[0] is not (128 or 129) || icmp[1] != 0)
            {
                return false;
            }

            echo = new IcmpEcho(new IPAddress(packet.Slice(8, 16)), new IPAddress(packet.Slice(24, 16)), icmp[0] == 128,
                BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]), BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]), icmp[8..].ToArray());
            return true;
        }

        return false;
    }

    public byte[] ToPacket()
    {
        var icmp = new byte[8 + Data.Length];
        icmp[0] = IsIPv6 ? (IsRequest ? (byte)128 : (byte)129) : (IsRequest ? (byte)8 : (byte)0);
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(4), Identifier);
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(6), Sequence);
        Data.CopyTo(icmp, 8);
        var source = Source.GetAddressBytes();
        var destination = Destination.GetAddressBytes();
        if (!IsIPv6)
        {
            BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(2), Checksum(0, icmp));
            var packet = new byte[20 + icmp.Length];
            packet[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), Sequence);
            packet[6] = 0x40;
            packet[8] = 64;
            packet[9] = ProtocolIcmp;
            source.CopyTo(packet, 12);
            destination.CopyTo(packet, 16);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(0, packet.AsSpan(0, 20)));
            icmp.CopyTo(packet, 20);
            return packet;
        }

        var pseudo = new byte[40];
        source.CopyTo(pseudo, 0);
        destination.CopyTo(pseudo, 16);
        BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(32), (uint)icmp.Length);
        pseudo[39] = ProtocolIcmpV6;
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(2), Checksum(Sum(0, pseudo), icmp));
        var v6 = new byte[40 + icmp.Length];
        v6[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(v6.AsSpan(4), (ushort)icmp.Length);
        v6[6] = ProtocolIcmpV6;
        v6[7] = 64;
        source.CopyTo(v6, 8);
        destination.CopyTo(v6, 24);
        icmp.CopyTo(v6, 40);
        return v6;
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/> continuing from a partial sum.</summary>
    public static ushort Checksum(uint partial, ReadOnlySpan<byte> data)
    {
        var sum = Sum(partial, data);
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static uint Sum(uint sum, ReadOnlySpan<byte> data)
    {
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += (uint)((data[i] << 8) | data[i + 1]);
        }

        if (data.Length % 2 == 1)
        {
            sum += (uint)(data[^1] << 8);
        }

        return sum;
    }
}
