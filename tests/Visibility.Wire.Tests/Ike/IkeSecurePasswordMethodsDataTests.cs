using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeSecurePasswordMethodsDataTests
{
    [Fact]
    [Trait("rfc", "6467-2")]
    public void TryRead_MethodList()
    {
        // PACE (1), AugPAKE (2), Secure PSK (3)
        Assert.True(IkeSecurePasswordMethodsData.TryRead([0x00, 0x01, 0x00, 0x02, 0x00, 0x03], out IkeSecurePasswordMethodsData methods));
        Assert.Equal(3, methods.Count);
        Assert.Equal(1, methods.GetMethod(0));
        Assert.Equal(3, methods.GetMethod(2));
        Assert.False(IkeSecurePasswordMethodsData.TryRead([0x00, 0x01, 0x00], out _));
        Assert.False(IkeSecurePasswordMethodsData.TryRead([], out _));
    }
}
