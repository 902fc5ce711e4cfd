using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeMessageIdSyncDataTests
{
    [Fact]
    [Trait("rfc", "6311-6.3")]
    public void TryRead_NonceAndExpectedIds()
    {
        byte[] data =
        [
            // 0: Nonce | 4: EXPECTED_SEND_REQ_MESSAGE_ID 1000 | 8: EXPECTED_RECV_REQ_MESSAGE_ID 2000
            0x12, 0x34, 0xAB, 0xCD, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0,
        ];
        Assert.True(IkeMessageIdSyncData.TryRead(data, out IkeMessageIdSyncData sync));
        Assert.Equal(0x1234ABCDu, sync.Nonce);
        Assert.Equal(1000u, sync.ExpectedSendRequestMessageId);
        Assert.Equal(2000u, sync.ExpectedReceiveRequestMessageId);
        Assert.False(IkeMessageIdSyncData.TryRead(data.AsSpan(0, 11), out _));
    }
}
