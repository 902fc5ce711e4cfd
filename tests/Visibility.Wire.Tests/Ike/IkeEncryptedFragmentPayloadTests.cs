using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeEncryptedFragmentPayloadTests
{
    [Fact]
    [Trait("rfc", "7383-2.5")]
    public void TryRead_FirstFragment_NumbersAndInnerType()
    {
        byte[] payload =
        [
            // 0: Next IDi (35) in fragment 1 | C 0 | Length 12
            0x23, 0x00, 0x00, 0x0C,
            // 4: Fragment Number 1 | 6: Total Fragments 3
            0x00, 0x01, 0x00, 0x03,
            // 8: IV, encrypted content, ICV
            0xAA, 0xBB, 0xCC, 0xDD,
        ];
        Assert.True(IkeEncryptedFragmentPayload.TryRead(payload, out IkeEncryptedFragmentPayload skf));
        Assert.Equal(IkePayloadType.IdentificationInitiator, skf.FirstInnerPayload);
        Assert.Equal(1, skf.FragmentNumber);
        Assert.Equal(3, skf.TotalFragments);
        Assert.True(skf.AreNumbersValid);
        Assert.Equal(4, skf.EncryptedPart.Length);
    }

    [Theory]
    [Trait("rfc", "7383-2.5")]
    [InlineData(0, 2, false)]
    [InlineData(1, 0, false)]
    [InlineData(3, 2, false)]
    [InlineData(2, 2, true)]
    public void AreNumbersValid_Rules(ushort number, ushort total, bool valid)
    {
        byte[] payload = [0x00, 0x00, 0x00, 0x08, (byte)(number >> 8), (byte)number, (byte)(total >> 8), (byte)total];
        Assert.True(IkeEncryptedFragmentPayload.TryRead(payload, out IkeEncryptedFragmentPayload skf));
        Assert.Equal(valid, skf.AreNumbersValid);
    }

    [Fact]
    public void TryRead_ShorterThanEight_False() => Assert.False(IkeEncryptedFragmentPayload.TryRead(new byte[7], out _));
}
