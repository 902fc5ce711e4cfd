using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeIdentificationPayloadTests
{
    [Fact]
    [Trait("rfc", "7296-3.5")]
    public void TryRead_Fqdn_TypeAndData()
    {
        // 0: ID Type ID_FQDN (2) | 1: reserved | 4: "west"
        byte[] body = [0x02, 0x00, 0x00, 0x00, 0x77, 0x65, 0x73, 0x74];
        Assert.True(IkeIdentificationPayload.TryRead(body, out IkeIdentificationPayload id));
        Assert.Equal(IdType.Fqdn, id.IdType);
        Assert.Equal("west"u8.ToArray(), id.Data.ToArray());
        Assert.True(id.IsDataLengthValid);
        Assert.Equal(body, id.Body.ToArray());
    }

    [Theory]
    [Trait("rfc", "7296-3.5")]
    [InlineData(1, 4, true)]
    [InlineData(1, 5, false)]
    [InlineData(5, 16, true)]
    [InlineData(5, 4, false)]
    [InlineData(11, 0, true)]
    public void IsDataLengthValid_AddressTypes_NeedExactLength(byte type, int dataLength, bool valid)
    {
        byte[] body = [type, 0, 0, 0, .. new byte[dataLength]];
        Assert.True(IkeIdentificationPayload.TryRead(body, out IkeIdentificationPayload id));
        Assert.Equal(valid, id.IsDataLengthValid);
    }

    [Fact]
    public void TryRead_ShorterThanFour_False() => Assert.False(IkeIdentificationPayload.TryRead([0x02, 0x00], out _));
}
