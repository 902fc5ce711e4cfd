using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeKeyExchangePayloadTests
{
    [Fact]
    [Trait("rfc", "7296-3.4")]
    public void TryRead_Curve25519_GroupAndData()
    {
        byte[] body =
        [
            // 0: D-H Group Num 31 (Curve25519) | 2: reserved
            0x00, 0x1F, 0x00, 0x00,
            // 4: key exchange data (first octets of a public value)
            0x9A, 0x4B, 0x2C, 0x11,
        ];
        Assert.True(IkeKeyExchangePayload.TryRead(body, out IkeKeyExchangePayload ke));
        Assert.Equal(DhGroup.Curve25519, ke.DhGroup);
        Assert.Equal([0x9A, 0x4B, 0x2C, 0x11], ke.KeyExchangeData.ToArray());
    }

    [Fact]
    public void TryRead_ShorterThanFour_False() => Assert.False(IkeKeyExchangePayload.TryRead([0x00, 0x0E, 0x00], out _));
}
