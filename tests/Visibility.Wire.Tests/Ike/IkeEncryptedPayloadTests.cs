using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeEncryptedPayloadTests
{
    [Fact]
    [Trait("rfc", "7296-3.14")]
    public void TryRead_Sk_FirstInnerAndEncryptedPart()
    {
        // 0: Next IDi (35) | 1: C 0 | 2: Length 10 | 4: IV + ciphertext + ICV
        byte[] payload = [0x23, 0x00, 0x00, 0x0A, 1, 2, 3, 4, 5, 6];
        Assert.True(IkeEncryptedPayload.TryRead(payload, out IkeEncryptedPayload sk));
        Assert.Equal(IkePayloadType.IdentificationInitiator, sk.FirstInnerPayload);
        Assert.Equal(6, sk.EncryptedPart.Length);
        Assert.False(IkeEncryptedPayload.TryRead([0x23, 0x00, 0x00], out _));
    }
}
