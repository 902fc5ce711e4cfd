using System.Buffers.Binary;

namespace Visibility.Wire;

/// <summary>The Internet checksum (RFC 1071): a ones'-complement sum of 16-bit words.</summary>
/// <remarks>Sums are kept unfolded in a 64-bit accumulator and folded once. Adding a 32- or 64-bit big-endian word
/// gives the same folded result as adding its 16-bit halves, because 2^16 is 1 modulo 2^16 - 1; so the loop reads eight
/// octets at a time.</remarks>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to an unfolded sum; an odd last octet counts as the high half of a word.</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i <= data.Length - 8; i += 8)
        {
            ulong word = BinaryPrimitives.ReadUInt64BigEndian(data[i..]);
            sum += (word >> 32) + (word & 0xFFFF_FFFF);
        }
        if (i <= data.Length - 4)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
            i += 4;
        }
        if (i <= data.Length - 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            i += 2;
        }
        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }
        return sum;
    }

    /// <summary>Folds an unfolded sum to 16 bits with end-around carry.</summary>
    public static ushort Fold(ulong sum)
    {
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)sum;
    }

    /// <summary>True when data that includes its checksum field sums (with the pseudo-header part) to all ones.</summary>
    public static bool IsValid(ulong pseudoSum, ReadOnlySpan<byte> data) => Fold(Add(pseudoSum, data)) == 0xFFFF;

    /// <summary>The checksum field value for <paramref name="data"/> whose checksum field is zero.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => (ushort)~Fold(Add(0, data));
}
