using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class AuthenticationHeaderTests
{
    [Fact]
    [Trait("rfc", "4302-2")]
    public void TryRead_HeaderWithIcv_ExposesFields()
    {
        byte[] bytes = Hex.Parse(
            "32 04 00 00" +                           // 0  next header ESP, payload len 4 -> (4 + 2) × 4 = 24 octets
            "00 00 a0 0a 00 00 00 2a" +               // 4  SPI 0xa00a, sequence 42
            "01 02 03 04 05 06 07 08 09 0a 0b 0c" +   // 12 ICV
            "ff");                                    // 24 next header's first octet

        Assert.True(AuthenticationHeader.TryRead(bytes, out AuthenticationHeader ah));
        Assert.Equal(IPProtocol.Esp, ah.NextHeader);
        Assert.Equal(4, ah.PayloadLength);
        Assert.Equal(24, ah.Length);
        Assert.Equal(0xa00au, ah.Spi);
        Assert.Equal(42u, ah.SequenceNumber);
        Assert.Equal(Hex.Parse("01 02 03 04 05 06 07 08 09 0a 0b 0c"), ah.Icv.ToArray());
    }

    [Theory]
    [Trait("rfc", "4302-2.2")]
    [InlineData("32 01 00 00 00 00 a0 0a 00 00 00 2a", true)]           // 12 octets, no ICV
    [InlineData("32 00 00 00 00 00 a0 0a 00 00 00 2a", false)]          // 8 octets claimed: shorter than SPI + sequence
    [InlineData("32 02 00 00 00 00 a0 0a 00 00 00 2a", false)]          // 16 claimed, 12 present
    [InlineData("32 01 00 00 00 00 a0 0a 00 00 00", false)]             // 11 octets
    public void TryRead_Lengths_AreChecked(string bytes, bool expected)
    {
        Assert.Equal(expected, AuthenticationHeader.TryRead(Hex.Parse(bytes), out _));
    }
}
