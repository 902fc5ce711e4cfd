using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeDeletePayloadTests
{
    [Fact]
    [Trait("rfc", "7296-3.11")]
    public void TryRead_TwoEspSpis_Enumerates()
    {
        byte[] body =
        [
            // 0: Protocol ESP (3) | 1: SPI Size 4 | 2: Num of SPIs 2
            0x03, 0x04, 0x00, 0x02,
            // 4: SPIs
            0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
        ];
        Assert.True(IkeDeletePayload.TryRead(body, out IkeDeletePayload delete));
        Assert.Equal(ProtocolId.Esp, delete.ProtocolId);
        Assert.Equal(2, delete.SpiCount);
        Assert.True(delete.TryGetSpi32(0, out uint first));
        Assert.True(delete.TryGetSpi32(1, out uint second));
        Assert.False(delete.TryGetSpi32(2, out _));
        Assert.Equal(0x11223344u, first);
        Assert.Equal(0x55667788u, second);
        Assert.Equal(8, delete.Spis.Length);
    }

    [Fact]
    [Trait("rfc", "7296-3.11")]
    public void TryRead_IkeSa_NoSpis()
    {
        Assert.True(IkeDeletePayload.TryRead([0x01, 0x00, 0x00, 0x00], out IkeDeletePayload delete));
        Assert.Equal(ProtocolId.Ike, delete.ProtocolId);
        Assert.Equal(0, delete.SpiCount);
        Assert.False(delete.TryGetSpi32(0, out _));
    }

    [Fact]
    public void TryRead_SpisBeyondBody_False() => Assert.False(IkeDeletePayload.TryRead([0x03, 0x04, 0x00, 0x02, 1, 2, 3, 4], out _));
}
