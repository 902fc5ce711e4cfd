using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class IPv4HeaderTests
{
    [Fact]
    [Trait("rfc", "791-3.1")]
    public void TryRead_Header_ExposesEveryField()
    {
        byte[] bytes = Hex.Parse(
            "46 b8 05 dc 12 34 20 b9" +   // 0  version 4, IHL 6, TOS 0xb8, total 1500, id 0x1234, MF, offset 185
            "3f 32 ab cd" +               // 8  TTL 63, ESP, checksum 0xabcd
            "c0 00 02 01 c6 33 64 02" +   // 12 addresses
            "94 04 00 00");               // 20 Router Alert

        Assert.True(IPv4Header.TryRead(bytes, out IPv4Header ip));
        Assert.Equal(4, ip.Version);
        Assert.Equal(24, ip.HeaderLength);
        Assert.Equal(0xb8, ip.TypeOfService);
        Assert.Equal(1500, ip.TotalLength);
        Assert.Equal(0x1234, ip.Identification);
        Assert.False(ip.DontFragment);
        Assert.True(ip.MoreFragments);
        Assert.Equal(1480, ip.FragmentOffset);
        Assert.True(ip.IsFragment);
        Assert.Equal(63, ip.TimeToLive);
        Assert.Equal(IPProtocol.Esp, ip.Protocol);
        Assert.Equal(0xabcd, ip.HeaderChecksum);
        Assert.Equal(NetworkAddress.Parse("192.0.2.1"), ip.Source);
        Assert.Equal(NetworkAddress.Parse("198.51.100.2"), ip.Destination);
    }

    [Fact]
    public void IsFragment_DontFragmentAlone_IsFalse()
    {
        Assert.True(IPv4Header.TryRead(Hex.Parse("45 00 00 14 00 00 40 00 40 06 00 00 00 00 00 00 00 00 00 00"), out IPv4Header ip));
        Assert.True(ip.DontFragment);
        Assert.False(ip.IsFragment);
    }

    [Fact]
    public void TryRead_NineteenOctets_Fails()
    {
        Assert.False(IPv4Header.TryRead(new byte[19], out _));
    }

    [Theory]
    [Trait("rfc", "791-3.1")]
    [InlineData("", true)]
    [InlineData("00", true)]                      // End of Option List
    [InlineData("01 01 01 01", true)]             // No Operation ×4
    [InlineData("00 99 99 99", true)]             // anything after EOL is ignored
    [InlineData("82 0b 00 00 00 00 00 00 00 00 00 01", true)] // Security, 11 octets, then NOP
    [InlineData("94 04 00 00", true)]
    [InlineData("94", false)]                     // no length octet
    [InlineData("94 01 00 00", false)]            // length below 2
    [InlineData("94 05 00 00", false)]            // past the header
    [InlineData("01 01 94 03", false)]
    public void AreOptionsWellFormed_OptionList_IsJudged(string options, bool expected)
    {
        Assert.Equal(expected, IPv4Header.AreOptionsWellFormed(Hex.Parse(options)));
    }
}
