using System.Text;
using Visibility.IkePeer.Crypto;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Crypto;

public sealed class EncryptionTransformTests
{
    [Fact]
    [Trait("rfc", "3602-4")]
    public void Encrypt_AesCbcRfc3602Case1_MatchesVector()
    {
        var cbc = EncryptionTransform.Create((EncryptionAlgorithm)12, 128)!;
        var key = TestHex.Parse("06a9214036b8a15b512e03d534120006");
        var iv = TestHex.Parse("3dafba429d9eb430b422da802c9fac41");
        var plaintext = Encoding.ASCII.GetBytes("Single block msg");

        var ciphertext = cbc.Encrypt(key, iv, [], plaintext);

        Assert.Equal("e353779c1079aeb82708942dbe77181a", TestHex.Of(ciphertext));
        Assert.True(cbc.TryDecrypt(key, iv, [], ciphertext, out var back));
        Assert.Equal(plaintext, back);
    }

    [Fact]
    [Trait("rfc", "4106-3.1")]
    public void Encrypt_AesGcmZeroKeyZeroBlock_MatchesGcmSpecCase2()
    {
        // GCM specification (McGrew/Viega) test case 2: K = 0^128, IV = 0^96, P = 0^128. Salt | IV = the 96-bit nonce.
        var gcm = EncryptionTransform.Create((EncryptionAlgorithm)20, 128)!;
        var keyMaterial = new byte[16 + 4];
        var output = gcm.Encrypt(keyMaterial, new byte[8], [], new byte[16]);
        Assert.Equal("0388dace60b6a392f328c2b971b2fe78" + "ab6e47d42cec13bdf53a67b21257bddf", TestHex.Of(output));
    }

    [Theory]
    [InlineData(18, 8)]
    [InlineData(19, 12)]
    [InlineData(20, 16)]
    [Trait("rfc", "5282-7.1")]
    public void TryDecrypt_GcmWithAssociatedData_RoundTripsAndRejectsTampering(ushort id, int tagLength)
    {
        var gcm = EncryptionTransform.Create((EncryptionAlgorithm)id, 256)!;
        Assert.Equal(36, gcm.KeyMaterialLength);
        Assert.Equal(tagLength, gcm.IcvLength);
        var key = Enumerable.Range(0, 36).Select(i => (byte)i).ToArray();
        var iv = TestHex.Parse("0102030405060708");
        var aad = Encoding.ASCII.GetBytes("header");
        var plaintext = Encoding.ASCII.GetBytes("payloads and padding");

        var sealed_ = gcm.Encrypt(key, iv, aad, plaintext);
        Assert.Equal(plaintext.Length + tagLength, sealed_.Length);
        Assert.True(gcm.TryDecrypt(key, iv, aad, sealed_, out var opened));
        Assert.Equal(plaintext, opened);

        Assert.False(gcm.TryDecrypt(key, iv, Encoding.ASCII.GetBytes("HEADER"), sealed_, out _));
        sealed_[0] ^= 1;
        Assert.False(gcm.TryDecrypt(key, iv, aad, sealed_, out _));
    }

    [Fact]
    public void Create_InvalidKeySizes_ReturnNull()
    {
        Assert.Null(EncryptionTransform.Create((EncryptionAlgorithm)12, 100));
        Assert.Null(EncryptionTransform.Create((EncryptionAlgorithm)11, 128));
        Assert.Null(EncryptionTransform.Create((EncryptionAlgorithm)3, 192));
    }

    [Fact]
    [Trait("rfc", "2410-2")]
    public void Null_HasNoIvNoKeyAndCopies()
    {
        var encrNull = EncryptionTransform.Create((EncryptionAlgorithm)11, 0)!;
        Assert.Equal(0, encrNull.IvLength);
        Assert.Equal(0, encrNull.KeyMaterialLength);
        Assert.Equal(1, encrNull.BlockSize);
        Assert.Equal(new byte[] { 1, 2, 3 }, encrNull.Encrypt([], [], [], [1, 2, 3]));
    }

    [Fact]
    public void TryDecrypt_CbcNotBlockAligned_Fails() =>
        Assert.False(EncryptionTransform.Create((EncryptionAlgorithm)12, 128)!.TryDecrypt(new byte[16], new byte[16], [], new byte[17], out _));
}
