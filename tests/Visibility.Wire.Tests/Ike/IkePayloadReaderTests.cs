using Visibility.Wire.Ike;
using Visibility.Wire.Tests.Ike.Support;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkePayloadReaderTests
{
    // An IKE_AUTH request: header, then SK (RFC 7296 §3.14) with 4 octets of IV/ciphertext/ICV stand-in.
    private static readonly byte[] s_ikeAuth =
    [
        // 0: SPIi, SPIr
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
        // 16: Next SK (46), 2.0, IKE_AUTH (35), I | 20: Message ID 1 | 24: Length 40
        0x2E, 0x20, 0x23, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x28,
        // 28: SK: Next IDi (35), C 0, Length 12
        0x23, 0x00, 0x00, 0x0C,
        // 32: IV, encrypted payloads, ICV (opaque here)
        0xDE, 0xAD, 0xBE, 0xEF, 0xDE, 0xAD, 0xBE, 0xEF,
    ];

    [Fact]
    [Trait("rfc", "7296-3.2")]
    public void TryReadNext_SaInitChain_YieldsTypesLengthsAndEnds()
    {
        byte[] message = new IkeMessageBuilder()
            .Add(IkePayloadType.SecurityAssociation, new byte[8])
            .Add(IkePayloadType.KeyExchange, new byte[12])
            .Add(IkePayloadType.Nonce, new byte[16])
            .Notify(16388, new byte[20])
            .Build();
        Assert.True(IkeHeader.TryRead(message, out IkeHeader header));
        IkePayloadReader reader = IkePayloadReader.ForMessage(header);
        var seen = new List<(IkePayloadType, int, int)>();
        while (reader.TryReadNext(out IkePayload payload))
        {
            seen.Add((payload.Type, payload.Offset, payload.Length));
            Assert.Equal(payload.Length - 4, payload.Body.Length);
        }
        Assert.Equal(
            [(IkePayloadType.SecurityAssociation, 28, 12), (IkePayloadType.KeyExchange, 40, 16), (IkePayloadType.Nonce, 56, 20), (IkePayloadType.Notify, 76, 28)],
            seen);
        Assert.Equal(IkeChainStatus.Complete, reader.Status);
        Assert.Equal(message.Length, reader.Offset);
    }

    [Fact]
    [Trait("rfc", "7296-3.14")]
    public void TryReadNext_Sk_StopsWithEncryptedAndExposesFirstInnerPayload()
    {
        Assert.True(IkeHeader.TryRead(s_ikeAuth, out IkeHeader header));
        IkePayloadReader reader = IkePayloadReader.ForMessage(header);
        Assert.True(reader.TryReadNext(out IkePayload sk));
        Assert.Equal(IkePayloadType.Encrypted, sk.Type);
        Assert.Equal(IkePayloadType.IdentificationInitiator, sk.NextPayload);
        Assert.Equal(28, sk.Offset);
        Assert.Equal(8, sk.Body.Length);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(IkeChainStatus.Encrypted, reader.Status);
        Assert.Equal(IkePayloadType.IdentificationInitiator, reader.NextPayloadType);
    }

    [Fact]
    [Trait("rfc", "7296-3.2")]
    public void TryReadNext_CriticalBit_Reported()
    {
        byte[] message = new IkeMessageBuilder().Add(50, [1, 2, 3, 4], critical: true).Build();
        Assert.True(IkeHeader.TryRead(message, out IkeHeader header));
        IkePayloadReader reader = IkePayloadReader.ForMessage(header);
        Assert.True(reader.TryReadNext(out IkePayload payload));
        Assert.True(payload.IsCritical);
        Assert.Equal(0, payload.Reserved);
        Assert.Equal(IkePayloadType.GroupIdentification, payload.Type);
    }

    [Fact]
    [Trait("rfc", "7296-3.2")]
    public void TryReadNext_PayloadLengthBelowFour_PayloadTooShort()
    {
        byte[] message = (byte[])s_ikeAuth.Clone();
        message[31] = 0x03;
        Assert.True(IkeHeader.TryRead(message, out IkeHeader header));
        IkePayloadReader reader = IkePayloadReader.ForMessage(header);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(IkeChainStatus.PayloadTooShort, reader.Status);
    }

    [Fact]
    [Trait("rfc", "7296-3.2")]
    public void TryReadNext_PayloadBeyondMessage_PayloadTruncated()
    {
        byte[] message = (byte[])s_ikeAuth.Clone();
        message[31] = 0x0D;
        Assert.True(IkeHeader.TryRead(message, out IkeHeader header));
        IkePayloadReader reader = IkePayloadReader.ForMessage(header);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(IkeChainStatus.PayloadTruncated, reader.Status);
    }

    [Fact]
    public void TryReadNext_GenericHeaderCut_PayloadTruncated()
    {
        IkePayloadReader reader = IkePayloadReader.ForChain([0x00, 0x00], IkePayloadType.Nonce);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(IkeChainStatus.PayloadTruncated, reader.Status);
    }

    [Fact]
    [Trait("rfc", "7296-3.2")]
    public void TryReadNext_NextPayloadPromisedButMessageEnds_Unterminated()
    {
        // Nonce says another Notify follows, but the chain ends.
        byte[] chain = [0x29, 0x00, 0x00, 0x08, 1, 2, 3, 4];
        IkePayloadReader reader = IkePayloadReader.ForChain(chain, IkePayloadType.Nonce);
        Assert.True(reader.TryReadNext(out _));
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(IkeChainStatus.Unterminated, reader.Status);
    }

    [Fact]
    [Trait("rfc", "7296-3.2")]
    public void TryReadNext_OctetsAfterLastPayload_TrailingData()
    {
        byte[] chain = [0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4, 0xFF];
        IkePayloadReader reader = IkePayloadReader.ForChain(chain, IkePayloadType.Nonce);
        Assert.True(reader.TryReadNext(out _));
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(IkeChainStatus.TrailingData, reader.Status);
    }

    [Fact]
    [Trait("rfc", "7383-2.5")]
    public void TryReadNext_PayloadAfterSkf_TrailingDataButSkfYielded()
    {
        // SKF (Fragment 1 of 2) followed by a stray Nonce: SKF must be last.
        byte[] chain = [0x28, 0x00, 0x00, 0x0A, 0x00, 0x01, 0x00, 0x02, 0xAA, 0xBB, 0x00, 0x00, 0x00, 0x04];
        IkePayloadReader reader = IkePayloadReader.ForChain(chain, IkePayloadType.EncryptedFragment);
        Assert.True(reader.TryReadNext(out IkePayload skf));
        Assert.Equal(IkePayloadType.EncryptedFragment, skf.Type);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(IkeChainStatus.TrailingData, reader.Status);
    }

    [Fact]
    public void TryReadNext_EmptyChainWithNone_Complete()
    {
        IkePayloadReader reader = IkePayloadReader.ForChain([], IkePayloadType.None);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(IkeChainStatus.Complete, reader.Status);
    }

    [Fact]
    public void Constructor_StartBeyondBuffer_ClampsAndStops()
    {
        var reader = new IkePayloadReader(new byte[4], 10, IkePayloadType.Nonce);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(IkeChainStatus.Unterminated, reader.Status);
    }
}
