using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class UdpHeaderTests
{
    [Fact]
    [Trait("rfc", "768")]
    public void TryRead_Header_ExposesFields()
    {
        byte[] bytes = Hex.Parse("11 94 d2 04 00 1c ab cd"); // 4500 -> 53764, length 28, checksum

        Assert.True(UdpHeader.TryRead(bytes, out UdpHeader udp));
        Assert.Equal(4500, udp.SourcePort);
        Assert.Equal(53764, udp.DestinationPort);
        Assert.Equal(28, udp.DatagramLength);
        Assert.Equal(0xabcd, udp.Checksum);
        Assert.False(UdpHeader.TryRead(bytes[..7], out _));
    }
}
