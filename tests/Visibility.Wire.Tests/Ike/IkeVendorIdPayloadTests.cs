using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeVendorIdPayloadTests
{
    [Fact]
    [Trait("rfc", "7296-3.12")]
    public void TryRead_Hash_ExposesBytes()
    {
        byte[] body = [0x88, 0x2F, 0xE5, 0x6D, 0x6F, 0xD2, 0x0D, 0xBC];
        Assert.True(IkeVendorIdPayload.TryRead(body, out IkeVendorIdPayload vendor));
        Assert.Equal(body, vendor.VendorId.ToArray());
        Assert.False(IkeVendorIdPayload.TryRead([], out _));
    }
}
