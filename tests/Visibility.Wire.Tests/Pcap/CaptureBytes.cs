using System.Buffers.Binary;

namespace Visibility.Wire.Tests.Pcap;

/// <summary>Builds capture files byte by byte for tests, in either byte order, with room to damage any field.</summary>
/// <remarks>Layouts: pcap-savefile(5) for classic pcap; draft-ietf-opsawg-pcapng sections 3-4 for pcapng.</remarks>
internal static class CaptureBytes
{
    public const uint PcapMagic = 0xA1B2C3D4;
    public const uint PcapNanosecondMagic = 0xA1B23C4D;
    public const uint SectionHeaderType = 0x0A0D0D0A;
    public const uint InterfaceDescriptionType = 1;
    public const uint PacketBlockType = 2;
    public const uint SimplePacketType = 3;
    public const uint NameResolutionType = 4;
    public const uint InterfaceStatisticsType = 5;
    public const uint EnhancedPacketType = 6;

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Payload(int length, int seed = 0) => Enumerable.Range(0, length).Select(i => (byte)(seed + (i * 13))).ToArray();

    /// <summary>pcap file header: magic, version 2.4, thiszone, sigfigs, snaplen, linktype (24 bytes).</summary>
    public static byte[] PcapHeader(uint snapLength = 65535, uint linkType = 1, uint magic = PcapMagic, bool bigEndian = false, ushort versionMajor = 2)
    {
        var w = new Writer(bigEndian);
        w.U32(magic).U16(versionMajor).U16(4).U32(0).U32(0).U32(snapLength).U32(linkType);
        return w.ToArray();
    }

    /// <summary>pcap record: ts seconds, ts fraction, captured length, original length (16 bytes), then data.</summary>
    public static byte[] PcapRecord(uint seconds, uint fraction, byte[] data, uint? capturedLength = null, uint? originalLength = null, bool bigEndian = false)
    {
        var w = new Writer(bigEndian);
        w.U32(seconds).U32(fraction).U32(capturedLength ?? (uint)data.Length).U32(originalLength ?? (uint)data.Length).Bytes(data);
        return w.ToArray();
    }

    /// <summary>A pcapng block: type, total length, body padded to 32 bits, total length again.</summary>
    public static byte[] Block(uint type, byte[] body, bool bigEndian = false, uint? leadingLength = null, uint? trailingLength = null)
    {
        int padded = (body.Length + 3) & ~3;
        uint length = (uint)(padded + 12);
        var w = new Writer(bigEndian);
        w.U32(type).U32(leadingLength ?? length).Bytes(body).Bytes(new byte[padded - body.Length]).U32(trailingLength ?? length);
        return w.ToArray();
    }

    /// <summary>Section Header Block: byte-order magic, version 1.0, section length -1 (unknown).</summary>
    public static byte[] SectionHeader(bool bigEndian = false, uint byteOrderMagic = 0x1A2B3C4D, ushort versionMajor = 1)
    {
        var w = new Writer(bigEndian);
        w.U32(byteOrderMagic).U16(versionMajor).U16(0).U64(ulong.MaxValue);
        return Block(SectionHeaderType, w.ToArray(), bigEndian);
    }

    /// <summary>Interface Description Block: LinkType, reserved, SnapLen, then options (already encoded).</summary>
    public static byte[] InterfaceDescription(ushort linkType, uint snapLength = 0, byte[]? options = null, bool bigEndian = false)
    {
        var w = new Writer(bigEndian);
        w.U16(linkType).U16(0).U32(snapLength).Bytes(options ?? []);
        return Block(InterfaceDescriptionType, w.ToArray(), bigEndian);
    }

    /// <summary>One option (code, length, value padded to 32 bits); pass several then <see cref="EndOfOptions"/>.</summary>
    public static byte[] Option(ushort code, byte[] value, bool bigEndian = false)
    {
        var w = new Writer(bigEndian);
        w.U16(code).U16((ushort)value.Length).Bytes(value).Bytes(new byte[((value.Length + 3) & ~3) - value.Length]);
        return w.ToArray();
    }

    public static byte[] EndOfOptions() => new byte[4];

    /// <summary>Enhanced Packet Block: Interface ID, timestamp high/low, captured and original length, data.</summary>
    public static byte[] EnhancedPacket(uint interfaceId, ulong timestamp, byte[] data, uint? capturedLength = null, uint? originalLength = null,
        bool bigEndian = false, uint? leadingLength = null, uint? trailingLength = null)
    {
        var w = new Writer(bigEndian);
        w.U32(interfaceId).U32((uint)(timestamp >> 32)).U32((uint)timestamp)
            .U32(capturedLength ?? (uint)data.Length).U32(originalLength ?? (uint)data.Length).Bytes(data);
        return Block(EnhancedPacketType, w.ToArray(), bigEndian, leadingLength, trailingLength);
    }

    /// <summary>Simple Packet Block: Original Packet Length, then whatever data the block holds.</summary>
    public static byte[] SimplePacket(uint originalLength, byte[] data, bool bigEndian = false)
    {
        var w = new Writer(bigEndian);
        w.U32(originalLength).Bytes(data);
        return Block(SimplePacketType, w.ToArray(), bigEndian);
    }

    /// <summary>Obsolete Packet Block: 16-bit Interface ID, Drops Count, then as the EPB.</summary>
    public static byte[] ObsoletePacket(ushort interfaceId, ulong timestamp, byte[] data, bool bigEndian = false)
    {
        var w = new Writer(bigEndian);
        w.U16(interfaceId).U16(0).U32((uint)(timestamp >> 32)).U32((uint)timestamp).U32((uint)data.Length).U32((uint)data.Length).Bytes(data);
        return Block(PacketBlockType, w.ToArray(), bigEndian);
    }

    /// <summary>Rewrites a little-endian classic pcap file in big-endian byte order (header and record headers).</summary>
    public static byte[] SwapPcapByteOrder(byte[] file)
    {
        byte[] swapped = (byte[])file.Clone();
        Swap32(swapped, 0);
        Swap16(swapped, 4);
        Swap16(swapped, 6);
        for (int i = 8; i < 24; i += 4)
        {
            Swap32(swapped, i);
        }
        int offset = 24;
        while (offset < file.Length)
        {
            int capturedLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(offset + 8));
            for (int i = 0; i < 16; i += 4)
            {
                Swap32(swapped, offset + i);
            }
            offset += 16 + capturedLength;
        }
        return swapped;
    }

    private static void Swap16(byte[] b, int i) => (b[i], b[i + 1]) = (b[i + 1], b[i]);

    private static void Swap32(byte[] b, int i)
    {
        (b[i], b[i + 3]) = (b[i + 3], b[i]);
        (b[i + 1], b[i + 2]) = (b[i + 2], b[i + 1]);
    }

    private sealed class Writer(bool bigEndian)
    {
        private readonly List<byte> _bytes = [];

        public Writer U16(ushort value)
        {
            Span<byte> b = stackalloc byte[2];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(b, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(b, value);
            }
            return Bytes(b);
        }

        public Writer U32(uint value)
        {
            Span<byte> b = stackalloc byte[4];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(b, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(b, value);
            }
            return Bytes(b);
        }

        public Writer U64(ulong value)
        {
            Span<byte> b = stackalloc byte[8];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt64BigEndian(b, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(b, value);
            }
            return Bytes(b);
        }

        public Writer Bytes(ReadOnlySpan<byte> data)
        {
            foreach (byte b in data)
            {
                _bytes.Add(b);
            }
            return this;
        }

        public byte[] ToArray() => [.. _bytes];
    }
}
