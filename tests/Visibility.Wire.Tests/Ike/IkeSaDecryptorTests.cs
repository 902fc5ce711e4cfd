using Visibility.Wire.Ike;
using Visibility.Wire.Ike.Keys;
using Visibility.Wire.Tests.Ike.Support;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeSaDecryptorTests
{
    private static readonly byte[] s_inner = IkeMessageBuilder.Chain([(41, [0x00, 0x00, 0x40, 0x00])]);

    [Theory]
    [InlineData((byte)0x08)]
    [InlineData((byte)0x20)]
    [InlineData((byte)0x28)]
    [Trait("rfc", "7296-2.14")]
    public void Decrypt_PicksKeysByInitiatorFlag(byte flags)
    {
        byte[] skEi = IkeSkTestEncryptor.Key(20, 0x01);
        byte[] skEr = IkeSkTestEncryptor.Key(20, 0x02);
        bool initiator = (flags & 0x08) != 0;
        byte[] message = IkeSkTestEncryptor.Protect(
            new IkeSkTestEncryptor.Parameters { Encryption = EncryptionAlgorithm.AesGcm16, EncryptionKey = initiator ? skEi : skEr, Flags = flags, ExchangeType = 37 },
            IkePayloadType.Notify, s_inner);
        using IkeSaDecryptor sa = IkeSaDecryptor.Create(EncryptionAlgorithm.AesGcm16, IntegrityAlgorithm.None, skEi, skEr, [], []);
        byte[] plaintext = new byte[message.Length];
        IkeDecryptResult result = sa.Decrypt(message, plaintext);
        Assert.Equal(IkeDecryptStatus.Ok, result.Status);
        Assert.Equal(s_inner, plaintext[..result.PayloadsLength]);
        Assert.Same(initiator ? sa.InitiatorToResponder : sa.ResponderToInitiator, sa.ForDirection(initiator));
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        Assert.Equal(IkeDecryptStatus.Ok, sa.Decrypt(message, summary, plaintext).Status);
    }

    [Fact]
    public void Decrypt_ClearMessageOrIkeV1_NotEncrypted()
    {
        using IkeSaDecryptor sa = IkeSaDecryptor.Create(EncryptionAlgorithm.AesGcm16, IntegrityAlgorithm.None, new byte[20], new byte[20], [], []);
        byte[] saInit = new IkeMessageBuilder().Add(IkePayloadType.Nonce, new byte[16]).Build();
        Assert.Equal(IkeDecryptStatus.NotEncrypted, sa.Decrypt(saInit, new byte[64]).Status);
        Assert.True(IkeMessageSummary.TryRead(saInit, out IkeMessageSummary summary));
        Assert.Equal(IkeDecryptStatus.NotEncrypted, sa.Decrypt(saInit, summary, new byte[64]).Status);
        byte[] ikeV1 = new IkeMessageBuilder { Version = 0x10 }.Add(8, new byte[16]).Build();
        Assert.Equal(IkeDecryptStatus.NotEncrypted, sa.Decrypt(ikeV1, new byte[64]).Status);
        Assert.Equal(IkeDecryptStatus.NotEncrypted, sa.Decrypt(new byte[10], new byte[64]).Status);
    }

    [Fact]
    public void FromKeyTableEntry_NoCheckingIntegrity_StripsIcvUnchecked()
    {
        const string table = "0102030405060708,1112131415161718,000102030405060708090a0b0c0d0e0f,101112131415161718191a1b1c1d1e1f,\"AES-CBC-128 [RFC3602]\",,,\"ANY 96-bits of Authentication [No Checking]\"";
        IkeKeyTableEntry entry = WiresharkKeyFiles.ReadIkev2DecryptionTable(new StringReader(table), "test").Single();
        using IkeSaDecryptor sa = IkeSaDecryptor.FromKeyTableEntry(entry);
        Assert.False(sa.InitiatorToResponder.ChecksIntegrity);
        Assert.Equal(12, sa.InitiatorToResponder.IcvLength);
        byte[] message = IkeSkTestEncryptor.Protect(
            new IkeSkTestEncryptor.Parameters
            {
                InitiatorSpi = 0x0102030405060708, ResponderSpi = 0x1112131415161718, Encryption = EncryptionAlgorithm.AesCbc,
                EncryptionKey = entry.InitiatorEncryptionKey, Integrity = IntegrityAlgorithm.HmacSha1_96, IntegrityKey = new byte[20], PadLength = 7,
            },
            IkePayloadType.Notify, s_inner);
        byte[] plaintext = new byte[message.Length];
        IkeDecryptResult result = sa.Decrypt(message, plaintext);
        Assert.Equal(IkeDecryptStatus.Ok, result.Status);
        Assert.False(result.IntegrityChecked);
        Assert.Equal(s_inner, plaintext[..result.PayloadsLength]);
    }

    [Fact]
    public void FromKeyTableEntry_UnsupportedCipher_Throws()
    {
        const string tripleDes = "0102030405060708,1112131415161718,000102030405060708090a0b0c0d0e0f1011121314151617,000102030405060708090a0b0c0d0e0f1011121314151617,\"3DES [RFC2451]\",0001020304050607080910111213141516171819,0001020304050607080910111213141516171819,\"HMAC_SHA1_96 [RFC2404]\"";
        IkeKeyTableEntry des = WiresharkKeyFiles.ReadIkev2DecryptionTable(new StringReader(tripleDes), "test").Single();
        Assert.Equal(EncryptionAlgorithm.TripleDes, des.Encryption);
        Assert.Throws<NotSupportedException>(() => IkeSaDecryptor.FromKeyTableEntry(des));
        const string ccm = "0102030405060708,1112131415161718,000102030405060708090a0b0c0d0e0f101112,000102030405060708090a0b0c0d0e0f101112,\"AES-CCM-128 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"";
        IkeKeyTableEntry entry = WiresharkKeyFiles.ReadIkev2DecryptionTable(new StringReader(ccm), "test").Single();
        Assert.Throws<NotSupportedException>(() => IkeSaDecryptor.FromKeyTableEntry(entry));
    }
}
