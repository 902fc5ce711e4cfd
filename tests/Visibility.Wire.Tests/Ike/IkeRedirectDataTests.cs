using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeRedirectDataTests
{
    [Fact]
    [Trait("rfc", "5685-9.2")]
    public void TryRead_IPv4WithNonce_GatewayAndNonce()
    {
        byte[] data =
        [
            // 0: GW Ident Type IPv4 (1) | 1: GW Ident Len 4
            0x01, 0x04,
            // 2: 192.0.2.33
            0xC0, 0x00, 0x02, 0x21,
            // 6: Nonce Data (Ni echoed; 16 octets)
            .. Enumerable.Range(0, 16).Select(i => (byte)i),
        ];
        Assert.True(IkeRedirectData.TryRead(data, out IkeRedirectData redirect));
        Assert.Equal(GatewayIdentityType.IPv4Address, redirect.GatewayIdentityType);
        Assert.Equal("192.0.2.33", redirect.GatewayAddress.ToString());
        Assert.Equal(16, redirect.Nonce.Length);
        Span<char> text = stackalloc char[64];
        Assert.True(redirect.TryFormatGateway(text, out int written));
        Assert.Equal("192.0.2.33", text[..written].ToString());
    }

    [Fact]
    [Trait("rfc", "5685-9.2")]
    public void TryRead_Fqdn_NoNonce()
    {
        byte[] data = [0x03, 0x0B, .. "gw2.example"u8];
        Assert.True(IkeRedirectData.TryRead(data, out IkeRedirectData redirect));
        Assert.Equal(GatewayIdentityType.Fqdn, redirect.GatewayIdentityType);
        Assert.True(redirect.Nonce.IsEmpty);
        Assert.True(redirect.GatewayAddress.IsNone);
        Span<char> text = stackalloc char[64];
        Assert.True(redirect.TryFormatGateway(text, out int written));
        Assert.Equal("gw2.example", text[..written].ToString());
    }

    [Fact]
    [Trait("rfc", "5685-9.3")]
    public void TryRead_IPv6RedirectedFrom_Formats()
    {
        byte[] data = [0x02, 0x10, 0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42];
        Assert.True(IkeRedirectData.TryRead(data, out IkeRedirectData redirect));
        Span<char> text = stackalloc char[64];
        Assert.True(redirect.TryFormatGateway(text, out int written));
        Assert.Equal("2001:db8::42", text[..written].ToString());
        Assert.False(redirect.TryFormatGateway(text[..5], out _));
    }

    [Theory]
    [Trait("rfc", "5685-9.2")]
    [InlineData(new byte[] { 0x01 })]
    [InlineData(new byte[] { 0x01, 0x05, 1, 2, 3, 4, 5 })]
    [InlineData(new byte[] { 0x02, 0x04, 1, 2, 3, 4 })]
    [InlineData(new byte[] { 0x01, 0x04, 1, 2, 3 })]
    [InlineData(new byte[] { 0x03, 0x00 })]
    public void TryRead_InconsistentIdentity_False(byte[] data) => Assert.False(IkeRedirectData.TryRead(data, out _));

    [Fact]
    public void TryFormatGateway_NonPrintableFqdn_Replaced()
    {
        Assert.True(IkeRedirectData.TryRead([0xF1, 0x03, 0x61, 0x00, 0x7F], out IkeRedirectData redirect));
        Span<char> text = stackalloc char[8];
        Assert.True(redirect.TryFormatGateway(text, out int written));
        Assert.Equal("a??", text[..written].ToString());
    }
}
