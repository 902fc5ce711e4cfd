using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeEapPayloadTests
{
    [Fact]
    [Trait("rfc", "7296-3.16")]
    public void TryRead_RequestIdentity_CodeIdentifierType()
    {
        // 0: Code Request (1) | 1: Identifier 7 | 2: Length 5 | 4: Type Identity (1)
        byte[] body = [0x01, 0x07, 0x00, 0x05, 0x01];
        Assert.True(IkeEapPayload.TryRead(body, out IkeEapPayload eap));
        Assert.Equal(EapCode.Request, eap.Code);
        Assert.Equal(7, eap.Identifier);
        Assert.True(eap.HasType);
        Assert.Equal(1, eap.Type);
        Assert.True(eap.TypeData.IsEmpty);
        Assert.True(eap.IsLengthConsistent);
    }

    [Fact]
    [Trait("rfc", "3748-4.2")]
    public void TryRead_Success_NoType()
    {
        Assert.True(IkeEapPayload.TryRead([0x03, 0x09, 0x00, 0x04], out IkeEapPayload eap));
        Assert.Equal(EapCode.Success, eap.Code);
        Assert.False(eap.HasType);
        Assert.Equal(0, eap.Type);
    }

    [Fact]
    public void TryRead_RequestWithoutType_False()
    {
        Assert.False(IkeEapPayload.TryRead([0x01, 0x07, 0x00, 0x04], out _));
        Assert.False(IkeEapPayload.TryRead([0x03, 0x09, 0x00], out _));
    }

    [Fact]
    public void IsLengthConsistent_EapLengthDiffers_False()
    {
        Assert.True(IkeEapPayload.TryRead([0x02, 0x07, 0x00, 0x09, 0x1A, 0x00], out IkeEapPayload eap));
        Assert.False(eap.IsLengthConsistent);
        Assert.Equal(26, eap.Type);
    }
}
