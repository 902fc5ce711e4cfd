using System.Buffers.Binary;

namespace Visibility.IkePeer.Tests.Cli;

/// <summary>A minimal classic-pcap reader and writer for the <c>--send-pcap</c> tests, independent of the capture reader
/// and decoder under test: little-endian pcap, Ethernet frames, IPv4 only.</summary>
internal static class PcapOracle
{
    public static string RepoPath(string relative)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Visibility.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Visibility.sln not found"), relative);
    }

    /// <summary>The IPv4 datagram of every record (Ethernet header off, cut at the IPv4 Total Length).</summary>
    public static List<byte[]> IPv4PacketsOfEthernetPcap(string path)
    {
        var file = File.ReadAllBytes(path);
        Assert.Equal(0xa1b2c3d4u, BinaryPrimitives.ReadUInt32LittleEndian(file));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(20)));
        var packets = new List<byte[]>();
        for (var offset = 24; offset + 16 <= file.Length;)
        {
            var captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 8));
            var frame = file.AsSpan(offset + 16, captured);
            Assert.Equal(0x0800, BinaryPrimitives.ReadUInt16BigEndian(frame[12..]));
            var totalLength = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
            packets.Add(frame.Slice(14, totalLength).ToArray());
            offset += 16 + captured;
        }

        return packets;
    }

    /// <summary>Writes an Ethernet pcap; each record is its captured bytes and its length on the wire.</summary>
    public static void WriteEthernetPcap(string path, IEnumerable<(byte[] Frame, int OriginalLength)> records)
    {
        using var stream = File.Create(path);
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
        stream.Write(header);
        var second = 1_700_000_000u;
        foreach (var (frame, originalLength) in records)
        {
            var recordHeader = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader, second++);
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader.AsSpan(8), (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader.AsSpan(12), (uint)originalLength);
            stream.Write(recordHeader);
            stream.Write(frame);
        }
    }

    /// <summary>An Ethernet frame: 12 octets of MAC addresses, the EtherType, the payload.</summary>
    public static byte[] Ethernet(ushort etherType, byte[] payload)
    {
        var frame = new byte[14 + payload.Length];
        frame.AsSpan(0, 12).Fill(0x02);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        payload.CopyTo(frame, 14);
        return frame;
    }

    /// <summary>An IPv4 UDP datagram with a valid header checksum and <paramref name="payloadLength"/> octets of data.</summary>
    public static byte[] IPv4Udp(byte[] source, byte[] destination, int payloadLength)
    {
        var packet = new byte[28 + payloadLength];
        packet[0] = 0x45;                                                      // 0: version 4, IHL 5
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length); // 2: total length
        packet[8] = 64;                                                        // 8: TTL
        packet[9] = 17;                                                        // 9: UDP
        source.CopyTo(packet, 12);                                             // 12: source
        destination.CopyTo(packet, 16);                                        // 16: destination
        uint sum = 0;
        for (var i = 0; i < 20; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(i));
        }

        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), (ushort)~sum);     // 10: header checksum
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 40000);           // 20: UDP source port
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), 9);               // 22: UDP destination port
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payloadLength)); // 24: UDP length
        for (var i = 28; i < packet.Length; i++)
        {
            packet[i] = (byte)i;
        }

        return packet;
    }
}
