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
    [Trait("rfc", "4543-3.3")]
    public void GmacTag_NistCavpPtlen0Aadlen128Count0_MatchesVector()
    {
        // gcmEncryptExtIV128.rsp [Keylen 128, IVlen 96, PTlen 0, AADlen 128, Taglen 128] Count 0; the 96-bit IV is
        // split as RFC 4543 splits the nonce: salt (end of the key material) | 8-octet IV.
        var gmac = EncryptionTransform.Create(EncryptionAlgorithm.NullAuthAesGmac, 128)!;
        var keyMaterial = Convert.FromHexString("77be63708971c4e240d1cb79e8d77feb" + "e0e00f19");

        var tag = gmac.GmacTag(keyMaterial, Convert.FromHexString("fed7ba0136a797f3"), Convert.FromHexString("7a43ec1d9c0a5a78a0b16533a6213cab"));

        Assert.Equal("209fcc8d3675ed938e9c7166709dd946", Convert.ToHexStringLower(tag));
    }

    [Fact]
    [Trait("rfc", "4543-3")]
    public void Gmac_Properties_IntegrityOnlyAeadWithSaltAnd16OctetIcv()
    {
        var gmac = EncryptionTransform.Create(EncryptionAlgorithm.NullAuthAesGmac, 256)!;

        Assert.True(gmac.IsAead);
        Assert.True(gmac.IsIntegrityOnly);
        Assert.Equal(8, gmac.IvLength);
        Assert.Equal(16, gmac.IcvLength);
        Assert.Equal(36, gmac.KeyMaterialLength);
        Assert.Equal("ENCR_NULL_AUTH_AES_GMAC_256", gmac.Name);
        Assert.Null(EncryptionTransform.Create(EncryptionAlgorithm.NullAuthAesGmac, 0));
    }

    [Fact]
    [Trait("rfc", "4543-3.3")]
    public void TryDecrypt_GmacTampered_RejectsAndKeepsPayloadClear()
    {
        var gmac = EncryptionTransform.Create(EncryptionAlgorithm.NullAuthAesGmac, 128)!;
        var key = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();
        byte[] iv = [0, 0, 0, 0, 0, 0, 0, 9];
        byte[] header = [1, 2, 3, 4, 0, 0, 0, 9];
        byte[] clear = [10, 20, 30, 40];

        var sealedBytes = gmac.Encrypt(key, iv, header, clear);

        Assert.Equal(clear, sealedBytes[..4]);
        Assert.True(gmac.TryDecrypt(key, iv, header, sealedBytes, out var back));
        Assert.Equal(clear, back);
        sealedBytes[1] ^= 1;
        Assert.False(gmac.TryDecrypt(key, iv, header, sealedBytes, out _));
        sealedBytes[1] ^= 1;
        Assert.False(gmac.TryDecrypt(key, [0, 0, 0, 0, 0, 0, 0, 8], header, sealedBytes, out _));
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
