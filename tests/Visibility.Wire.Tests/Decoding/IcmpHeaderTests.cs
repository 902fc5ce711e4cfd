using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class IcmpHeaderTests
{
    [Fact]
    [Trait("rfc", "792")]
    public void TryRead_Header_ExposesFields()
    {
        byte[] bytes = Hex.Parse("03 04 ab cd 00 00 05 dc"); // destination unreachable, fragmentation needed, MTU 1500

        Assert.True(IcmpHeader.TryRead(bytes, out IcmpHeader icmp));
        Assert.Equal(3, icmp.Type);
        Assert.Equal(4, icmp.Code);
        Assert.Equal(0xabcd, icmp.Checksum);
        Assert.Equal(1500u, icmp.RestOfHeader);
        Assert.False(IcmpHeader.TryRead(bytes[..7], out _));
    }
}
