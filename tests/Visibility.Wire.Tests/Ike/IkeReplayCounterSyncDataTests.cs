using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeReplayCounterSyncDataTests
{
    [Fact]
    [Trait("rfc", "6311-6.4")]
    public void TryRead_FourAndEightOctetDeltas()
    {
        Assert.True(IkeReplayCounterSyncData.TryRead([0x00, 0x00, 0x27, 0x10], out IkeReplayCounterSyncData small));
        Assert.False(small.IsExtended);
        Assert.Equal(10000UL, small.IncomingSaDelta);
        Assert.True(IkeReplayCounterSyncData.TryRead([0, 0, 0, 1, 0, 0, 0, 0], out IkeReplayCounterSyncData esn));
        Assert.True(esn.IsExtended);
        Assert.Equal(1UL << 32, esn.IncomingSaDelta);
        Assert.False(IkeReplayCounterSyncData.TryRead([0, 0, 1], out _));
        Assert.False(IkeReplayCounterSyncData.TryRead(new byte[6], out _));
    }
}
