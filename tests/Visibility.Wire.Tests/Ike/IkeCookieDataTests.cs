using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeCookieDataTests
{
    [Theory]
    [Trait("rfc", "7296-2.6")]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void TryRead_Length1To64(int length, bool valid)
    {
        Assert.Equal(valid, IkeCookieData.TryRead(new byte[length], out IkeCookieData cookie));
        Assert.Equal(valid ? length : 0, cookie.Cookie.Length);
    }
}
