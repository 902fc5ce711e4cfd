using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeTrafficSelectorPayloadTests
{
    private static readonly byte[] s_body =
    [
        // 0: Number of TSs 2 | reserved
        0x02, 0x00, 0x00, 0x00,
        // 4: TS_IPV4_ADDR_RANGE (7), protocol any (0), length 16, ports 0-65535
        0x07, 0x00, 0x00, 0x10, 0x00, 0x00, 0xFF, 0xFF,
        // 12: 10.1.0.0 - 10.1.255.255
        0x0A, 0x01, 0x00, 0x00, 0x0A, 0x01, 0xFF, 0xFF,
        // 20: TS_IPV6_ADDR_RANGE (8), ICMPv6 (58), length 40, type 128 code 0 as a single "port"
        0x08, 0x3A, 0x00, 0x28, 0x80, 0x00, 0x80, 0x00,
        // 28: 2001:db8::1 - 2001:db8::1
        0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
        0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
    ];

    [Fact]
    [Trait("rfc", "7296-3.13.1")]
    public void GetSelectors_IPv4AndIPv6Ranges()
    {
        Assert.True(IkeTrafficSelectorPayload.TryRead(s_body, out IkeTrafficSelectorPayload ts));
        Assert.Equal(2, ts.SelectorCount);
        IkeTrafficSelectorReader reader = ts.GetSelectors();
        Assert.True(reader.TryReadNext(out IkeTrafficSelector v4));
        Assert.Equal(TrafficSelectorType.IPv4AddressRange, v4.Type);
        Assert.True(v4.IsAddressRange);
        Assert.Equal(0, v4.StartPort);
        Assert.Equal(65535, v4.EndPort);
        Assert.Equal("10.1.0.0", v4.StartNetworkAddress.ToString());
        Assert.Equal("10.1.255.255", v4.EndNetworkAddress.ToString());
        Assert.True(reader.TryReadNext(out IkeTrafficSelector v6));
        Assert.Equal(TrafficSelectorType.IPv6AddressRange, v6.Type);
        Assert.Equal(IPProtocol.IcmpV6, v6.IPProtocol);
        Assert.Equal(0x8000, v6.StartPort);
        Assert.Equal("2001:db8::1", v6.StartNetworkAddress.ToString());
        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.IsMalformed);
    }

    [Fact]
    [Trait("rfc", "7296-3.13")]
    public void GetSelectors_CountDisagrees_Malformed()
    {
        byte[] body = (byte[])s_body.Clone();
        body[0] = 3;
        Assert.True(IkeTrafficSelectorPayload.TryRead(body, out IkeTrafficSelectorPayload ts));
        IkeTrafficSelectorReader reader = ts.GetSelectors();
        while (reader.TryReadNext(out _))
        {
        }
        Assert.True(reader.IsMalformed);
    }

    [Fact]
    public void GetSelectors_SelectorBeyondPayload_Malformed()
    {
        byte[] body = s_body[..30];
        Assert.True(IkeTrafficSelectorPayload.TryRead(body, out IkeTrafficSelectorPayload ts));
        IkeTrafficSelectorReader reader = ts.GetSelectors();
        Assert.True(reader.TryReadNext(out _));
        Assert.False(reader.TryReadNext(out _));
        Assert.True(reader.IsMalformed);
    }

    [Fact]
    public void Selector_UnknownType_NoAddressFields()
    {
        byte[] body = [0x01, 0, 0, 0, 0x0A, 0x00, 0x00, 0x06, 0x01, 0x02];
        Assert.True(IkeTrafficSelectorPayload.TryRead(body, out IkeTrafficSelectorPayload ts));
        IkeTrafficSelectorReader reader = ts.GetSelectors();
        Assert.True(reader.TryReadNext(out IkeTrafficSelector label));
        Assert.Equal(TrafficSelectorType.SecurityLabel, label.Type);
        Assert.False(label.IsAddressRange);
        Assert.True(label.StartAddress.IsEmpty);
        Assert.True(label.StartNetworkAddress.IsNone);
        Assert.Equal(0, label.EndPort);
    }
}
