using System.Buffers.Binary;

namespace Visibility.Wire.Tests.Pcap;

/// <summary>Where the headers, records and blocks of a well-formed capture file end, found by walking its length
/// fields independently of the reader under test.</summary>
internal static class CaptureLayout
{
    /// <summary>Every offset at which a header, record or block ends, and whether that unit is a packet record.</summary>
    public static List<(int End, bool IsPacket)> Boundaries(byte[] file)
    {
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        var boundaries = new List<(int End, bool IsPacket)>();
        if (magic == CaptureBytes.SectionHeaderType)
        {
            bool bigEndian = false;
            int offset = 0;
            while (offset < file.Length)
            {
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset));
                if (type == CaptureBytes.SectionHeaderType)
                {
                    bigEndian = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 8)) != 0x1A2B3C4D;
                }
                type = Read32(file, offset, bigEndian);
                int length = (int)Read32(file, offset + 4, bigEndian);
                offset += length;
                boundaries.Add((offset, type is CaptureBytes.EnhancedPacketType or CaptureBytes.SimplePacketType or CaptureBytes.PacketBlockType));
            }
            return boundaries;
        }
        bool swapped = magic is 0xD4C3B2A1 or 0x4D3CB2A1;
        boundaries.Add((24, false));
        for (int offset = 24; offset < file.Length;)
        {
            offset += 16 + (int)Read32(file, offset + 8, swapped);
            boundaries.Add((offset, true));
        }
        return boundaries;
    }

    private static uint Read32(byte[] file, int offset, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset)) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset));
}
