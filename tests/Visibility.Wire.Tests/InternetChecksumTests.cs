using FsCheck.Xunit;
using Visibility.Wire;

namespace Visibility.Wire.Tests;

public sealed class InternetChecksumTests
{
    [Fact]
    [Trait("rfc", "1071")]
    public void Fold_Rfc1071Example()
    {
        // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];

        Assert.Equal(0xddf2, InternetChecksum.Fold(InternetChecksum.Add(0, data)));
    }

    [Property(MaxTest = 500)]
    public void Add_AnyData_EqualsThePlainSixteenBitLoop(byte[] data, ushort initial)
    {
        data ??= [];
        ushort expected = (ushort)~PlainChecksum(data, initial);

        Assert.Equal(expected, InternetChecksum.Fold(InternetChecksum.Add(initial, data)));
    }

    [Property(MaxTest = 200)]
    public void IsValid_DataWithItsChecksum_True(byte[] data)
    {
        data ??= [];
        byte[] withChecksum = [.. data, 0, 0];
        if (withChecksum.Length % 2 == 1)
        {
            withChecksum = [.. data, 0, 0, 0];
        }
        ushort checksum = PlainChecksum(withChecksum);
        withChecksum[^2] = (byte)(checksum >> 8);
        withChecksum[^1] = (byte)checksum;

        Assert.True(InternetChecksum.IsValid(0, withChecksum));
    }

    /// <summary>The RFC 1071 definition, one 16-bit word at a time: the reference the fast sum is checked against.</summary>
    private static ushort PlainChecksum(ReadOnlySpan<byte> data, uint initial = 0)
    {
        uint sum = initial;
        for (int i = 0; i < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0u);
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
