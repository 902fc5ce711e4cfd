using System.Buffers.Binary;
using FsCheck.Xunit;
using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Messages;

public sealed partial class IkeCodecTests
{
    private static IkeMessage SampleInit()
    {
        var proposal = new Proposal(1, ProtocolId.Ike, [], [new Transform(TransformType.Encryption, 12, 128), new Transform(TransformType.PseudorandomFunction, 5), new Transform(TransformType.Integrity, 12), new Transform(TransformType.DiffieHellman, 14)]);
        return IkeMessage.Create(0x0102030405060708, 0, IkeExchangeType.IkeSaInit, 0, false, true,
            new SecurityAssociationPayload([proposal]),
            new KeyExchangePayload(DhGroup.Modp2048, new byte[256]),
            new NoncePayload(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()),
            new NotifyPayload(IkeNotifyType.NatDetectionSourceIp, new byte[20]));
    }

    private static IkeMessage SampleAuth() => IkeMessage.Create(0x1111, 0x2222, IkeExchangeType.IkeAuth, 1, false, true,
        new IdentificationPayload(true, PeerIdentity.Parse("initiator.test")),
        new AuthenticationPayload(AuthMethod.SharedKeyMessageIntegrityCode, new byte[32]),
        new SecurityAssociationPayload([new Proposal(1, ProtocolId.Esp, [0xc0, 0, 0, 1], [new Transform(TransformType.Encryption, 11), new Transform(TransformType.Integrity, 12), new Transform(TransformType.ExtendedSequenceNumbers, 0)])]),
        new TrafficSelectorPayload(true, [TrafficSelector.ParseCidr("10.1.0.0/16")]),
        new TrafficSelectorPayload(false, [TrafficSelector.ParseCidr("2001:db8::/32")]),
        new DeletePayload(ProtocolId.Esp, [0x01020304u]));

    private static SkCipher Cipher(ushort encr, int bits, IntegrityTransform integrity)
    {
        var encryption = EncryptionTransform.Create((EncryptionAlgorithm)encr, bits)!;
        return new SkCipher(encryption, encryption.IsAead ? IntegrityTransform.None : integrity,
            Enumerable.Range(1, encryption.KeyMaterialLength).Select(i => (byte)i).ToArray(),
            Enumerable.Range(7, encryption.IsAead ? 0 : integrity.KeyLength).Select(i => (byte)i).ToArray());
    }

    private static IkeDecodeStatus Decode(ReadOnlySpan<byte> bytes, SkCipher? cipher, out IkeMessage? message)
    {
        using var decryptor = cipher?.CreateDecryptor();
        return IkeCodec.TryDecode(bytes, decryptor, out message);
    }

    [Fact]
    [Trait("rfc", "7296-3.1")]
    public void Encode_Header_FieldsAtTheirOffsets()
    {
        var bytes = IkeCodec.Encode(SampleInit());

        Assert.Equal(0x0102030405060708UL, BinaryPrimitives.ReadUInt64BigEndian(bytes));   // 0: SPIi
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)));           // 8: SPIr
        Assert.Equal(33, bytes[16]);                                                        // 16: Next Payload = SA
        Assert.Equal(0x20, bytes[17]);                                                      // 17: version 2.0
        Assert.Equal(34, bytes[18]);                                                        // 18: IKE_SA_INIT
        Assert.Equal(0x08, bytes[19]);                                                      // 19: I flag
        Assert.Equal((uint)bytes.Length, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(24))); // 24: Length
    }

    [Fact]
    [Trait("rfc", "7296-3.3")]
    public void Encode_SaPayload_KeyLengthAttributeInTvForm()
    {
        var bytes = IkeCodec.Encode(SampleInit());
        // 28: SA generic header, 32: proposal header (8), 40: first transform (ENCR AES-CBC + 80 0E 00 80).
        Assert.Equal([0x03, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x0c, 0x80, 0x0e, 0x00, 0x80], bytes.AsSpan(40, 12).ToArray());
        Assert.Equal(1, bytes[36]);   // Proposal Num
        Assert.Equal(1, bytes[37]);   // Protocol ID IKE
        Assert.Equal(0, bytes[38]);   // SPI Size
        Assert.Equal(4, bytes[39]);   // Num Transforms
    }

    [Fact]
    public void TryDecode_EncodedInit_RoundTrips()
    {
        var bytes = IkeCodec.Encode(SampleInit());

        Assert.Equal(IkeDecodeStatus.Ok, Decode(bytes, null, out var message));

        Assert.Equal(IkeExchangeType.IkeSaInit, message!.ExchangeType);
        var sa = message.Get<SecurityAssociationPayload>()!;
        Assert.Equal(new Transform(TransformType.Encryption, 12, 128), sa.Proposals[0].Transforms[0]);
        Assert.Equal(DhGroup.Modp2048, message.Get<KeyExchangePayload>()!.Group);
        Assert.Equal(32, message.Get<NoncePayload>()!.Data.Length);
        Assert.Equal(IkeNotifyType.NatDetectionSourceIp, message.Notifies.Single().NotifyType);
        Assert.Equal(bytes, IkeCodec.Encode(message));
    }

    [Theory]
    [InlineData((ushort)12, 128)]
    [InlineData((ushort)12, 256)]
    [InlineData((ushort)20, 128)]
    [InlineData((ushort)18, 256)]
    [Trait("rfc", "7296-3.14")]
    public void EncodeProtected_EachCipher_DecryptsToSamePayloads(ushort encr, int bits)
    {
        var cipher = Cipher(encr, bits, IntegrityTransform.HmacSha256_128);
        var bytes = IkeCodec.EncodeProtected(SampleAuth(), cipher);

        Assert.Equal(46, bytes[16]);
        Assert.Equal(IkeDecodeStatus.NoKeys, Decode(bytes, null, out _));
        Assert.Equal(IkeDecodeStatus.Ok, Decode(bytes, cipher, out var message));
        Assert.True(message!.WasEncrypted);
        Assert.Equal("initiator.test", message.GetIdentification(true)!.Identity.ToString());
        Assert.Equal("10.1.0.0..10.1.255.255", message.GetTrafficSelectors(true)!.Selectors[0].ToString());
        Assert.Equal("2001:db8::..2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", message.GetTrafficSelectors(false)!.Selectors[0].ToString());
        Assert.Equal([0x01020304u], message.Get<DeletePayload>()!.Spis);
        Assert.Equal(IkeCodec.EncodeChain(SampleAuth().Payloads, out _), IkeCodec.EncodeChain(message.Payloads, out _));
    }

    [Theory]
    [InlineData((ushort)12, 0)]
    [InlineData((ushort)12, 20)]
    [InlineData((ushort)20, 0)]
    [InlineData((ushort)20, 40)]
    [Trait("rfc", "5282-5")]
    public void TryDecode_FlippedBitAnywhereProtected_IntegrityFailed(ushort encr, int fromEnd)
    {
        var cipher = Cipher(encr, 128, IntegrityTransform.HmacSha256_128);
        var bytes = IkeCodec.EncodeProtected(SampleAuth(), cipher);
        bytes[bytes.Length - 1 - fromEnd] ^= 0x40;
        Assert.Equal(IkeDecodeStatus.IntegrityFailed, Decode(bytes, cipher, out _));
    }

    [Fact]
    [Trait("rfc", "5282-5.1")]
    public void TryDecode_AeadHeaderChanged_IntegrityFailed()
    {
        var cipher = Cipher(20, 128, IntegrityTransform.None);
        var bytes = IkeCodec.EncodeProtected(SampleAuth(), cipher);
        bytes[23] ^= 1;   // Message ID is associated data.
        Assert.Equal(IkeDecodeStatus.IntegrityFailed, Decode(bytes, cipher, out _));
    }

    [Fact]
    [Trait("rfc", "7296-2.5")]
    public void TryDecode_UnknownCriticalPayload_Reported()
    {
        var message = IkeMessage.Create(1, 0, IkeExchangeType.IkeSaInit, 0, false, true, new UnknownPayload((IkePayloadType)200, true, [1, 2]));
        var bytes = IkeCodec.Encode(message);
        bytes[28 + 1] = 0x80;
        Assert.Equal(IkeDecodeStatus.UnsupportedCriticalPayload, Decode(bytes, null, out _));
        bytes[28 + 1] = 0x00;
        Assert.Equal(IkeDecodeStatus.Ok, Decode(bytes, null, out var decoded));
        Assert.IsType<UnknownPayload>(decoded!.Payloads.Single());
    }

    [Fact]
    public void TryDecode_EveryPrefix_NeverThrowsAndNeverOk()
    {
        var cipher = Cipher(12, 128, IntegrityTransform.HmacSha256_128);
        foreach (var sample in new[] { IkeCodec.Encode(SampleInit()), IkeCodec.EncodeProtected(SampleAuth(), cipher) })
        {
            for (var length = 0; length < sample.Length; length++)
            {
                Assert.NotEqual(IkeDecodeStatus.Ok, Decode(sample.AsSpan(0, length), cipher, out _));
            }
        }
    }

    [Fact]
    public void TryDecode_LengthFieldLies_Malformed()
    {
        var bytes = IkeCodec.Encode(SampleInit());
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(24), (uint)bytes.Length + 4);
        Assert.Equal(IkeDecodeStatus.Malformed, Decode(bytes, null, out _));
    }

    [Property]
    public void TryDecode_RandomBytes_NeverThrows(byte[] data)
    {
        var cipher = Cipher(20, 128, IntegrityTransform.None);
        Decode(data, cipher, out _);
        if (data.Length >= 28)
        {
            // Make header version and length valid so the payload walk runs on random bytes.
            data[17] = 0x20;
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(24), (uint)data.Length);
            Decode(data, cipher, out _);
        }
    }
}
