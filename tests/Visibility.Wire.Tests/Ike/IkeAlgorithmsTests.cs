using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeAlgorithmsTests
{
    [Theory]
    [Trait("rfc", "5282-7.1")]
    [InlineData(EncryptionAlgorithm.AesCbc, 128, false, 16, 16, 0, 16)]
    [InlineData(EncryptionAlgorithm.AesCbc, 256, false, 16, 16, 0, 32)]
    [InlineData(EncryptionAlgorithm.AesCtr, 128, false, 8, 1, 4, 20)]
    [InlineData(EncryptionAlgorithm.AesGcm8, 256, true, 8, 1, 4, 36)]
    [InlineData(EncryptionAlgorithm.AesGcm16, 192, true, 8, 1, 4, 28)]
    [InlineData(EncryptionAlgorithm.AesCcm12, 128, true, 8, 1, 3, 19)]
    [InlineData(EncryptionAlgorithm.EncrNull, 0, false, 0, 1, 0, 0)]
    [InlineData(EncryptionAlgorithm.TripleDes, 0, false, 8, 8, 0, 24)]
    [InlineData(EncryptionAlgorithm.ChaCha20Poly1305, 0, true, 8, 1, 4, 36)]
    public void Parameters_PerCipher(EncryptionAlgorithm encryption, int keyBits, bool aead, int iv, int block, int salt, int keyMaterial)
    {
        Assert.Equal(aead, IkeAlgorithms.IsAead(encryption));
        Assert.Equal(iv, IkeAlgorithms.GetIvLength(encryption));
        Assert.Equal(block, IkeAlgorithms.GetBlockSize(encryption));
        Assert.Equal(salt, IkeAlgorithms.GetSaltLength(encryption));
        Assert.Equal(keyMaterial, IkeAlgorithms.GetEncryptionKeyMaterialLength(encryption, keyBits));
    }

    [Theory]
    [Trait("rfc", "4868-4")]
    [InlineData(IntegrityAlgorithm.HmacSha1_96, 12, 20)]
    [InlineData(IntegrityAlgorithm.HmacSha2_256_128, 16, 32)]
    [InlineData(IntegrityAlgorithm.HmacSha2_384_192, 24, 48)]
    [InlineData(IntegrityAlgorithm.HmacSha2_512_256, 32, 64)]
    [InlineData(IntegrityAlgorithm.HmacMd5_96, 12, 16)]
    [InlineData(IntegrityAlgorithm.None, 0, 0)]
    public void Integrity_IcvAndKeyLengths(IntegrityAlgorithm integrity, int icv, int key)
    {
        Assert.Equal(icv, IkeAlgorithms.GetIcvLength(integrity));
        Assert.Equal(key, IkeAlgorithms.GetIntegrityKeyLength(integrity));
    }

    [Fact]
    public void GetAeadIcvLength_GcmVariants()
    {
        Assert.Equal(8, IkeAlgorithms.GetAeadIcvLength(EncryptionAlgorithm.AesGcm8));
        Assert.Equal(12, IkeAlgorithms.GetAeadIcvLength(EncryptionAlgorithm.AesGcm12));
        Assert.Equal(16, IkeAlgorithms.GetAeadIcvLength(EncryptionAlgorithm.AesGcm16));
        Assert.Equal(0, IkeAlgorithms.GetAeadIcvLength(EncryptionAlgorithm.AesCbc));
        Assert.Equal(0, IkeAlgorithms.GetEncryptionKeyMaterialLength(EncryptionAlgorithm.AesCbc, 100));
    }
}
