using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class IPv6HeaderTests
{
    [Fact]
    [Trait("rfc", "8200-3")]
    public void TryRead_Header_ExposesEveryField()
    {
        byte[] bytes = Hex.Parse(
            "6b 81 23 45 05 b4 32 3f" +                          // 0  TC 0xb8, flow label 0x12345, payload 1460, ESP, hop limit 63
            "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01" +  // 8
            "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02");  // 24

        Assert.True(IPv6Header.TryRead(bytes, out IPv6Header ip));
        Assert.Equal(6, ip.Version);
        Assert.Equal(0xb8, ip.TrafficClass);
        Assert.Equal(0x12345u, ip.FlowLabel);
        Assert.Equal(1460, ip.PayloadLength);
        Assert.Equal(IPProtocol.Esp, ip.NextHeader);
        Assert.Equal(63, ip.HopLimit);
        Assert.Equal(NetworkAddress.Parse("2001:db8::1"), ip.Source);
        Assert.Equal(NetworkAddress.Parse("2001:db8::2"), ip.Destination);
    }

    [Fact]
    public void TryRead_ThirtyNineOctets_Fails()
    {
        Assert.False(IPv6Header.TryRead(new byte[39], out _));
    }
}
