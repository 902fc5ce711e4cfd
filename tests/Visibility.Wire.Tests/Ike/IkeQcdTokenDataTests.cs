using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeQcdTokenDataTests
{
    [Theory]
    [Trait("rfc", "6290-5")]
    [InlineData(15, false)]
    [InlineData(16, true)]
    [InlineData(32, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void TryRead_TokenLength16To128(int length, bool valid)
    {
        Assert.Equal(valid, IkeQcdTokenData.TryRead(new byte[length], out IkeQcdTokenData token));
        Assert.Equal(valid ? length : 0, token.Token.Length);
    }
}
