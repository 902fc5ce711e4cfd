using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeAuthenticationPayloadTests
{
    [Fact]
    [Trait("rfc", "7296-3.8")]
    public void TryRead_SharedKeyMic_MethodAndData()
    {
        // 0: Auth Method 2 (Shared Key MIC) | 1: reserved | 4: authentication data
        byte[] body = [0x02, 0x00, 0x00, 0x00, 0x10, 0x20, 0x30];
        Assert.True(IkeAuthenticationPayload.TryRead(body, out IkeAuthenticationPayload auth));
        Assert.Equal(AuthMethod.SharedKeyMessageIntegrityCode, auth.AuthMethod);
        Assert.Equal([0x10, 0x20, 0x30], auth.Data.ToArray());
    }

    [Fact]
    [Trait("rfc", "6467-6")]
    public void TryRead_GenericSecurePassword_Method12()
    {
        Assert.True(IkeAuthenticationPayload.TryRead([0x0C, 0, 0, 0], out IkeAuthenticationPayload auth));
        Assert.Equal(AuthMethod.GenericSecurePassword, auth.AuthMethod);
        Assert.True(auth.Data.IsEmpty);
    }

    [Fact]
    public void TryRead_ShorterThanFour_False() => Assert.False(IkeAuthenticationPayload.TryRead([0x01], out _));
}
