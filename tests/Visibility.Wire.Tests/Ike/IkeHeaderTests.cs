using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeHeaderTests
{
    // An IKE_SA_INIT request header with a 4-octet Notify body following (RFC 7296 §3.1).
    private static readonly byte[] s_saInitRequest =
    [
        // 0: IKE SA Initiator's SPI
        0xA8, 0x88, 0x75, 0xA8, 0x19, 0x89, 0x92, 0xA6,
        // 8: IKE SA Responder's SPI (zero in the first IKE_SA_INIT request)
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // 16: Next Payload N (41) | 17: MjVer 2 MnVer 0 | 18: IKE_SA_INIT (34) | 19: Flags I (0x08)
        0x29, 0x20, 0x22, 0x08,
        // 20: Message ID 0
        0x00, 0x00, 0x00, 0x00,
        // 24: Length 36
        0x00, 0x00, 0x00, 0x24,
        // 28: N: Next 0, C 0, Length 8 | Protocol 0, SPI size 0, type 16430 (IKEV2_FRAGMENTATION_SUPPORTED)
        0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x40, 0x2E,
    ];

    [Fact]
    [Trait("rfc", "7296-3.1")]
    public void TryRead_SaInitRequest_ReadsEveryField()
    {
        Assert.True(IkeHeader.TryRead(s_saInitRequest, out IkeHeader header));
        Assert.Equal(0xA88875A8198992A6UL, header.InitiatorSpi);
        Assert.Equal(0UL, header.ResponderSpi);
        Assert.Equal(s_saInitRequest[..8], header.InitiatorSpiBytes.ToArray());
        Assert.Equal(IkePayloadType.Notify, header.NextPayload);
        Assert.Equal(0x20, header.Version);
        Assert.Equal(2, header.MajorVersion);
        Assert.Equal(0, header.MinorVersion);
        Assert.True(header.IsIkeV2);
        Assert.False(header.IsIkeV1);
        Assert.Equal(IkeExchangeType.IkeSaInit, header.ExchangeType);
        Assert.Equal(IkeFlags.Initiator, header.Flags);
        Assert.True(header.IsInitiator);
        Assert.False(header.IsResponse);
        Assert.False(header.HigherVersion);
        Assert.Equal(0u, header.MessageId);
        Assert.Equal(36u, header.Length);
        Assert.True(header.IsLengthValid);
        Assert.False(header.IsTruncated);
        Assert.Equal(36, header.Message.Length);
        Assert.Equal(8, header.Payloads.Length);
    }

    [Theory]
    [Trait("rfc", "7296-3.1")]
    [InlineData(0x20, true, false, false)]
    [InlineData(0x08, false, true, false)]
    [InlineData(0x10, false, false, true)]
    [InlineData(0x38, true, true, true)]
    [InlineData(0xC7, false, false, false)]
    public void Flags_EachBit_ReadIndependently(byte flags, bool response, bool initiator, bool higherVersion)
    {
        byte[] bytes = (byte[])s_saInitRequest.Clone();
        bytes[19] = flags;
        Assert.True(IkeHeader.TryRead(bytes, out IkeHeader header));
        Assert.Equal(response, header.IsResponse);
        Assert.Equal(initiator, header.IsInitiator);
        Assert.Equal(higherVersion, header.HigherVersion);
        Assert.Equal((IkeFlags)flags, header.Flags);
    }

    [Fact]
    [Trait("rfc", "2408-3.1")]
    public void TryRead_MajorVersion1_IsIkeV1()
    {
        byte[] bytes = (byte[])s_saInitRequest.Clone();
        bytes[17] = 0x10;
        Assert.True(IkeHeader.TryRead(bytes, out IkeHeader header));
        Assert.True(header.IsIkeV1);
        Assert.False(header.IsIkeV2);
        Assert.Equal(1, header.MajorVersion);
    }

    [Fact]
    public void TryRead_FewerThan28Octets_False()
    {
        Assert.False(IkeHeader.TryRead(s_saInitRequest.AsSpan(0, 27), out _));
        Assert.False(IkeHeader.TryRead([], out _));
        Assert.True(IkeHeader.TryRead(s_saInitRequest.AsSpan(0, 28), out IkeHeader header));
        Assert.True(header.IsTruncated);
        Assert.False(header.IsLengthValid);
        Assert.Equal(28, header.Message.Length);
        Assert.True(header.Payloads.IsEmpty);
    }

    [Fact]
    [Trait("rfc", "7296-3.1")]
    public void Message_LengthShorterThanDatagram_ClampsToLength()
    {
        byte[] bytes = [.. s_saInitRequest, 0xEE, 0xEE];
        Assert.True(IkeHeader.TryRead(bytes, out IkeHeader header));
        Assert.False(header.IsLengthValid);
        Assert.False(header.IsTruncated);
        Assert.Equal(36, header.Message.Length);
        Assert.Equal(38, header.DatagramLength);
    }

    [Fact]
    [Trait("rfc", "7296-3.1")]
    public void Message_LengthBelowHeader_KeepsHeaderOnly()
    {
        byte[] bytes = (byte[])s_saInitRequest.Clone();
        bytes[27] = 0x10;
        Assert.True(IkeHeader.TryRead(bytes, out IkeHeader header));
        Assert.False(header.IsLengthValid);
        Assert.Equal(IkeHeader.Size, header.Message.Length);
    }

    [Fact]
    public void Message_LengthAboveDatagram_IsTruncatedAndClamped()
    {
        byte[] bytes = (byte[])s_saInitRequest.Clone();
        bytes[26] = 0x01;
        Assert.True(IkeHeader.TryRead(bytes, out IkeHeader header));
        Assert.True(header.IsTruncated);
        Assert.Equal(bytes.Length, header.Message.Length);
    }
}
