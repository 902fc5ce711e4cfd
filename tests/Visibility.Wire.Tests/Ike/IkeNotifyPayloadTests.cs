using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeNotifyPayloadTests
{
    [Fact]
    [Trait("rfc", "7296-3.10")]
    public void TryRead_RekeySa_ProtocolSpiAndType()
    {
        byte[] body =
        [
            // 0: Protocol ID ESP (3) | 1: SPI Size 4 | 2: REKEY_SA (16393)
            0x03, 0x04, 0x40, 0x09,
            // 4: SPI
            0xCA, 0xFE, 0xBA, 0xBE,
        ];
        Assert.True(IkeNotifyPayload.TryRead(body, out IkeNotifyPayload notify));
        Assert.Equal(ProtocolId.Esp, notify.ProtocolId);
        Assert.Equal(4, notify.SpiSize);
        Assert.Equal(IkeNotifyType.RekeySa, notify.NotifyType);
        Assert.False(notify.IsError);
        Assert.Equal(0xCAFEBABEu, notify.Spi32);
        Assert.True(notify.Data.IsEmpty);
    }

    [Fact]
    [Trait("rfc", "7296-3.10.1")]
    public void TryRead_InvalidKePayload_ErrorWithData()
    {
        // Protocol 0, SPI size 0, INVALID_KE_PAYLOAD (17), data: group 19
        byte[] body = [0x00, 0x00, 0x00, 0x11, 0x00, 0x13];
        Assert.True(IkeNotifyPayload.TryRead(body, out IkeNotifyPayload notify));
        Assert.True(notify.IsError);
        Assert.Equal(IkeNotifyType.InvalidKePayload, notify.NotifyType);
        Assert.Equal([0x00, 0x13], notify.Data.ToArray());
        Assert.Equal(0u, notify.Spi32);
    }

    [Fact]
    [Trait("rfc", "7296-3.10")]
    public void TryRead_SpiLongerThanBody_False()
    {
        Assert.False(IkeNotifyPayload.TryRead([0x03, 0x04, 0x40, 0x09, 0xCA, 0xFE], out _));
        Assert.False(IkeNotifyPayload.TryRead([0x00, 0x00, 0x40], out _));
    }

    [Theory]
    [InlineData(IkeNotifyType.TicketAck, true)]
    [InlineData(IkeNotifyType.TicketNack, true)]
    [InlineData(IkeNotifyType.TicketRequest, true)]
    [InlineData(IkeNotifyType.RedirectSupported, true)]
    [InlineData(IkeNotifyType.EapOnlyAuthentication, true)]
    [InlineData(IkeNotifyType.Cookie, false)]
    [InlineData(IkeNotifyType.Redirect, false)]
    public void IsDefinedWithoutData_ByType(IkeNotifyType type, bool empty) => Assert.Equal(empty, IkeNotifyPayload.IsDefinedWithoutData(type));
}
