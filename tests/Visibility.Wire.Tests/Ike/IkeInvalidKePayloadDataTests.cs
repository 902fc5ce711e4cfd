using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeInvalidKePayloadDataTests
{
    [Fact]
    [Trait("rfc", "7296-3.10.1")]
    public void TryRead_AcceptedGroup()
    {
        Assert.True(IkeInvalidKePayloadData.TryRead([0x00, 0x13], out IkeInvalidKePayloadData data));
        Assert.Equal(DhGroup.Ecp256, data.AcceptedGroup);
        Assert.False(IkeInvalidKePayloadData.TryRead([0x13], out _));
        Assert.False(IkeInvalidKePayloadData.TryRead([0x00, 0x13, 0x00], out _));
    }
}
