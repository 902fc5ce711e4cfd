using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class IPv6ExtensionHeaderTests
{
    [Theory]
    [Trait("rfc", "8200-4.3")]
    [InlineData("3a 00 05 02 00 00 01 00", 8)]
    [InlineData("11 01 01 0c 00 00 00 00 00 00 00 00 00 00 00 00", 16)]
    public void TryRead_WholeHeader_LengthCountsEightOctetUnits(string bytes, int length)
    {
        Assert.True(IPv6ExtensionHeader.TryRead(Hex.Parse(bytes), out IPv6ExtensionHeader header));
        Assert.Equal(length, header.Length);
        Assert.Equal(length / 8 - 1, header.HeaderExtensionLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3a")]
    [InlineData("3a 00 05 02 00 00 01")]                 // 7 of 8
    [InlineData("11 01 00 00 00 00 00 00 00 00")]        // 10 of 16
    public void TryRead_PartOfTheHeader_Fails(string bytes)
    {
        Assert.False(IPv6ExtensionHeader.TryRead(Hex.Parse(bytes), out _));
    }
}
