using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeNoncePayloadTests
{
    [Theory]
    [Trait("rfc", "7296-3.9")]
    [InlineData(15, false)]
    [InlineData(16, true)]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void IsLengthValid_Between16And256(int length, bool valid)
    {
        Assert.True(IkeNoncePayload.TryRead(new byte[length], out IkeNoncePayload nonce));
        Assert.Equal(length, nonce.Data.Length);
        Assert.Equal(valid, nonce.IsLengthValid);
    }

    [Fact]
    public void TryRead_Empty_False() => Assert.False(IkeNoncePayload.TryRead([], out _));
}
