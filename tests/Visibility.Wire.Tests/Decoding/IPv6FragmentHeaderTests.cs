using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class IPv6FragmentHeaderTests
{
    [Theory]
    [Trait("rfc", "8200-4.5")]
    [InlineData("11 00 00 01 ca fe ba be", 0, true, false)]
    [InlineData("11 00 05 c8 ca fe ba be", 1480, false, false)]
    [InlineData("11 00 ff f9 ca fe ba be", 65528, true, false)]
    [InlineData("11 00 00 00 ca fe ba be", 0, false, true)]    // atomic (RFC 6946)
    [InlineData("11 ff 00 06 ca fe ba be", 0, false, true)]    // reserved bits set: still atomic
    public void TryRead_OffsetAndFlag_AreDecoded(string bytes, int offset, bool more, bool atomic)
    {
        Assert.True(IPv6FragmentHeader.TryRead(Hex.Parse(bytes), out IPv6FragmentHeader fragment));
        Assert.Equal(IPProtocol.Udp, fragment.NextHeader);
        Assert.Equal(offset, fragment.FragmentOffset);
        Assert.Equal(more, fragment.MoreFragments);
        Assert.Equal(atomic, fragment.IsAtomic);
        Assert.Equal(0xcafebabeu, fragment.Identification);
    }

    [Fact]
    public void TryRead_SevenOctets_Fails()
    {
        Assert.False(IPv6FragmentHeader.TryRead(new byte[7], out _));
    }
}
