using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class EthernetHeaderTests
{
    [Fact]
    public void TryRead_Header_ExposesAddressesAndEtherType()
    {
        byte[] bytes = Hex.Parse("02 00 00 00 00 02 02 00 00 00 00 01 88 a8");

        Assert.True(EthernetHeader.TryRead(bytes, out EthernetHeader ethernet));
        Assert.Equal(Hex.Parse("02 00 00 00 00 02"), ethernet.Destination.ToArray());
        Assert.Equal(Hex.Parse("02 00 00 00 00 01"), ethernet.Source.ToArray());
        Assert.Equal(0x88a8, ethernet.EtherType);
        Assert.False(EthernetHeader.TryRead(bytes[..13], out _));
    }
}
