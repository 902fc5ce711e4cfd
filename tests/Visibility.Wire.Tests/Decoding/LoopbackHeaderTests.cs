using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class LoopbackHeaderTests
{
    [Theory]
    [InlineData("02 00 00 00", 2u)]   // little-endian host
    [InlineData("00 00 00 02", 2u)]   // big-endian host or LINKTYPE_LOOP
    [InlineData("1e 00 00 00", 30u)]
    [InlineData("00 00 00 18", 24u)]
    [InlineData("00 00 00 00", 0u)]
    public void Family_EitherByteOrder_ReadsTheValue(string bytes, uint family)
    {
        Assert.True(LoopbackHeader.TryRead(Hex.Parse(bytes), out LoopbackHeader header));
        Assert.Equal(family, header.Family);
    }

    [Theory]
    [InlineData(10u, true)]
    [InlineData(24u, true)]
    [InlineData(28u, true)]
    [InlineData(30u, true)]
    [InlineData(2u, false)]
    [InlineData(26u, false)]
    public void IsInet6_KnownValues_AreRecognised(uint family, bool expected)
    {
        Assert.Equal(expected, LoopbackHeader.IsInet6(family));
    }
}
