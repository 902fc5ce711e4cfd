using System.Buffers.Binary;
using Visibility.Wire.Pcap;

namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>Reads every frame of a classic pcap (through <see cref="CaptureFileReader"/>) or a pcapng file
/// (a minimal reader of SHB/IDB/EPB/SPB blocks, enough for the test captures).</summary>
internal static class TestCaptureReader
{
    public static List<CapturedFrame> ReadAll(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(file) == 0x0A0D0D0A)
        {
            return ReadPcapNg(file);
        }
        var frames = new List<CapturedFrame>();
        using var reader = CaptureFileReader.Open(new MemoryStream(file));
        while (reader.TryReadNext(out CaptureRecord record))
        {
            frames.Add(new CapturedFrame(record.FrameNumber, record.LinkType, record.Data.ToArray()));
        }
        return frames;
    }

    private static List<CapturedFrame> ReadPcapNg(byte[] file)
    {
        var frames = new List<CapturedFrame>();
        var linkTypes = new List<LinkType>();
        bool bigEndian = false;
        int offset = 0;
        long frameNumber = 0;
        while (offset + 12 <= file.Length)
        {
            ReadOnlySpan<byte> block = file.AsSpan(offset);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(block);
            if (type == 0x0A0D0D0A)
            {
                bigEndian = BinaryPrimitives.ReadUInt32LittleEndian(block[8..]) != 0x1A2B3C4D;
                linkTypes.Clear();
            }
            uint length = Read32(block[4..], bigEndian);
            if (length < 12 || offset + length > file.Length)
            {
                break;
            }
            ReadOnlySpan<byte> body = block[8..(int)(length - 4)];
            switch (Read32(block, bigEndian))
            {
                case 1:
                    linkTypes.Add((LinkType)Read16(body, bigEndian));
                    break;
                case 6:
                    {
                        int iface = (int)Read32(body, bigEndian);
                        int capLen = (int)Read32(body[12..], bigEndian);
                        frames.Add(new CapturedFrame(++frameNumber, linkTypes[iface], body.Slice(20, capLen).ToArray()));
                        break;
                    }
                case 3:
                    {
                        int origLen = (int)Read32(body, bigEndian);
                        frames.Add(new CapturedFrame(++frameNumber, linkTypes[0], body.Slice(4, Math.Min(origLen, body.Length - 4)).ToArray()));
                        break;
                    }
            }
            offset += (int)length;
        }
        return frames;
    }

    private static uint Read32(ReadOnlySpan<byte> s, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    private static ushort Read16(ReadOnlySpan<byte> s, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
}
