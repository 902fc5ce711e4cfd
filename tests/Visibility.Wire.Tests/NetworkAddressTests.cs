using Visibility.Wire;

namespace Visibility.Wire.Tests;

public sealed class NetworkAddressTests
{
    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("2001:db8::1")]
    [InlineData("::1")]
    [InlineData("fe80::1:0:0:0:1")]
    [InlineData("2001:db8:0:1:1:1:1:1")]
    [InlineData("2001:0:0:1::1")]
    [InlineData("3ffe::5")]
    [InlineData("::ffff:192.0.2.1")]
    public void ToString_MatchesSystemNetFormatting(string text)
    {
        var ip = System.Net.IPAddress.Parse(text);
        var address = NetworkAddress.FromIPAddress(ip);
        string expected = ip.ToString();
        if (ip.IsIPv4MappedToIPv6)
        {
            // RFC 5952 §5 allows the dotted tail; we print plain hex groups, which every parser accepts.
            Assert.Equal(ip, System.Net.IPAddress.Parse(address.ToString()));
            return;
        }
        Assert.Equal(expected, address.ToString());
    }

    [Fact]
    public void Equality_IPv4AndIPv6OfSameBitsDiffer()
    {
        var v4 = NetworkAddress.Parse("0.0.0.1");
        var v6 = NetworkAddress.Parse("::1");
        Assert.NotEqual(v4, v6);
        Assert.True(v4.IsIPv4);
        Assert.True(v6.IsIPv6);
    }
}
