using System.Buffers.Binary;

namespace Visibility.Engine.Defrag;

/// <summary>The Internet checksum (RFC 1071): ones'-complement sum of 16-bit words.</summary>
internal static class InternetChecksum
{
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }
        return sum;
    }

    public static ushort Finish(uint sum)
    {
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
