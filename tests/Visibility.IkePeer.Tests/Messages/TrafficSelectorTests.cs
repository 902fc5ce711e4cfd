using System.Net;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Messages;

public sealed class TrafficSelectorTests
{
    [Fact]
    [Trait("rfc", "7296-3.13.1")]
    public void ParseCidr_V4Prefix_RangeAnyProtocolAllPorts()
    {
        var ts = TrafficSelector.ParseCidr("10.1.2.3/16");
        Assert.Equal("10.1.0.0", ts.First.ToString());
        Assert.Equal(new byte[] { 10, 1, 255, 255 }, ts.EndAddress);
        Assert.Equal((0, 0, 65535), (ts.IpProtocol, ts.StartPort, ts.EndPort));
        Assert.Equal(TrafficSelectorType.IPv4AddressRange, ts.TsType);
        Assert.Equal(16, ts.EncodedLength);
    }

    [Fact]
    public void ParseCidr_SingleV6Address_OneAddressRange()
    {
        var ts = TrafficSelector.ParseCidr("2001:db8::1");
        Assert.Equal(ts.StartAddress, ts.EndAddress);
        Assert.Equal(TrafficSelectorType.IPv6AddressRange, ts.TsType);
        Assert.Equal(40, ts.EncodedLength);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("nope/8")]
    [InlineData("10.0.0.0/-1")]
    public void TryParseCidr_Bad_False(string text) => Assert.False(TrafficSelector.TryParseCidr(text, out _));

    [Fact]
    [Trait("rfc", "7296-2.9")]
    public void Intersect_Overlap_Narrows()
    {
        var wide = TrafficSelector.ParseCidr("10.0.0.0/8");
        var narrow = TrafficSelector.ParseCidr("10.2.0.0/24");
        Assert.Equal("10.2.0.0..10.2.0.255", wide.Intersect(narrow)!.ToString());
        Assert.Null(narrow.Intersect(TrafficSelector.ParseCidr("10.3.0.0/24")));
        Assert.Null(narrow.Intersect(TrafficSelector.ParseCidr("::/0")));
    }

    [Fact]
    public void Contains_AddressInAndOut()
    {
        var ts = TrafficSelector.ParseCidr("192.0.2.0/24");
        Assert.True(ts.Contains(IPAddress.Parse("192.0.2.200")));
        Assert.False(ts.Contains(IPAddress.Parse("192.0.3.1")));
        Assert.False(ts.Contains(IPAddress.Parse("::1")));
    }

    [Fact]
    public void WriteAndFrom_RoundTripThroughWireView()
    {
        var ts = new TrafficSelector(17, 500, 4500, [10, 0, 0, 1], [10, 0, 0, 9]);
        var body = new TrafficSelectorPayload(true, [ts]).GetBody();

        Assert.Equal(4 + 16, body.Length);
        var back = TrafficSelectorPayload.From(true, body)!.Selectors.Single();
        Assert.Equal(ts.ToString(), back.ToString());
    }
}
