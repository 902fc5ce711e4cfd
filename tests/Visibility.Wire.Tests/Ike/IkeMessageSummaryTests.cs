using Visibility.Wire.Ike;
using Visibility.Wire.Tests.Ike.Support;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeMessageSummaryTests
{
    // IKE_SA_INIT response redirecting the client (RFC 5685 §3, §9.2): SPIr stays zero, REDIRECT carries the new
    // gateway and the initiator's nonce.
    private static readonly byte[] s_redirectResponse =
    [
        // 0: SPIi | 8: SPIr zero
        0x5E, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // 16: Next N (41), 2.0, IKE_SA_INIT (34), flags R (0x20) | 20: Message ID 0 | 24: Length 58
        0x29, 0x20, 0x22, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3A,
        // 28: N: next 0, length 30 | protocol 0, SPI size 0, REDIRECT (16407 = 0x4017)
        0x00, 0x00, 0x00, 0x1E, 0x00, 0x00, 0x40, 0x17,
        // 36: GW Ident Type IPv4, Len 4, 198.51.100.7
        0x01, 0x04, 0xC6, 0x33, 0x64, 0x07,
        // 42: Nonce Data (Ni, 16 octets)
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
    ];

    [Fact]
    [Trait("rfc", "5685-9.2")]
    public void TryRead_RedirectInSaInitResponse_GatewayAndNonce()
    {
        Assert.True(IkeMessageSummary.TryRead(s_redirectResponse, out IkeMessageSummary summary));
        Assert.Equal(DecodeAnomaly.None, summary.Anomaly);
        Assert.Equal(0x5E11223344556677UL, summary.InitiatorSpi);
        Assert.Equal(0UL, summary.ResponderSpi);
        Assert.Equal(IkeExchangeType.IkeSaInit, summary.ExchangeType);
        Assert.True(summary.IsResponse);
        Assert.False(summary.IsInitiator);
        Assert.True(summary.IsIkeV2);
        Assert.Equal([IkePayloadType.Notify], summary.Payloads.PayloadTypes.ToArray());
        Assert.Equal([28], summary.Payloads.PayloadOffsets.ToArray());
        Assert.Equal([IkeNotifyType.Redirect], summary.Payloads.NotifyTypes.ToArray());
        Assert.Equal(IkeNotifyType.Redirect, summary.Payloads.RedirectNotify);
        Assert.Equal(GatewayIdentityType.IPv4Address, summary.Payloads.RedirectGatewayType);
        Assert.Equal([0xC6, 0x33, 0x64, 0x07], summary.Payloads.RedirectGatewayIdentity.ToArray());
        Assert.Equal(16, summary.Payloads.RedirectNonceLength);
        Assert.Equal(28, summary.Payloads.RedirectOffset);
        Span<char> text = stackalloc char[64];
        Assert.True(summary.Payloads.TryFormatRedirectGateway(text, out int written));
        Assert.Equal("198.51.100.7", text[..written].ToString());
        Assert.Equal(IkeChainStatus.Complete, summary.Payloads.ChainStatus);
    }

    [Fact]
    [Trait("rfc", "5685-9.3")]
    public void TryRead_RedirectedFromAndSupported_FirstRedirectKept()
    {
        byte[] message = new IkeMessageBuilder()
            .Add(IkePayloadType.SecurityAssociation, [0, 0, 0, 8, 1, 1, 0, 0])
            .Add(IkePayloadType.KeyExchange, [0x00, 0x13, 0x00, 0x00, 1, 2, 3, 4])
            .Add(IkePayloadType.Nonce, new byte[32])
            .Notify(16408, [0x02, 0x10, 0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07])
            .Notify(16408, [0x01, 0x04, 10, 0, 0, 1])
            .Build();
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        Assert.Equal(DecodeAnomaly.None, summary.Anomaly);
        Assert.True(summary.Payloads.HasKeyExchange);
        Assert.Equal(DhGroup.Ecp256, summary.Payloads.KeyExchangeGroup);
        Assert.Equal(IkeNotifyType.RedirectedFrom, summary.Payloads.RedirectNotify);
        Assert.Equal(GatewayIdentityType.IPv6Address, summary.Payloads.RedirectGatewayType);
        Assert.Equal(0, summary.Payloads.RedirectNonceLength);
        Span<char> text = stackalloc char[64];
        Assert.True(summary.Payloads.TryFormatRedirectGateway(text, out int written));
        Assert.Equal("2001:db8::7", text[..written].ToString());
        Assert.Equal(2, summary.Payloads.NotifyCount);
    }

    [Fact]
    [Trait("rfc", "6290-4.5")]
    public void TryRead_UnprotectedInvalidIkeSpiWithQcdTokens_CountsTokens()
    {
        byte[] token1 = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] token2 = Enumerable.Range(100, 20).Select(i => (byte)i).ToArray();
        byte[] message = new IkeMessageBuilder { ExchangeType = 37, Flags = 0x20, MessageId = 7, ResponderSpi = 0x0A0B0C0D0E0F1011 }
            .Notify(4)
            .Notify(16419, token1, protocol: 1)
            .Notify(16419, token2, protocol: 1)
            .Build();
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        Assert.Equal(DecodeAnomaly.None, summary.Anomaly);
        Assert.Equal([IkeNotifyType.InvalidIkeSpi, IkeNotifyType.QuickCrashDetection, IkeNotifyType.QuickCrashDetection], summary.Payloads.NotifyTypes.ToArray());
        Assert.Equal(2, summary.Payloads.QcdTokenCount);
        Assert.Equal(32, summary.Payloads.QcdTokenLength);
        Assert.Equal(token1, message.AsSpan(summary.Payloads.QcdTokenOffset, summary.Payloads.QcdTokenLength).ToArray());
        Assert.Equal(7u, summary.MessageId);
    }

    [Fact]
    [Trait("rfc", "7296-3.10.1")]
    public void TryRead_InvalidKePayload_AcceptedGroup()
    {
        byte[] message = new IkeMessageBuilder { Flags = 0x20 }.Notify(17, [0x00, 0x0E]).Build();
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        Assert.Equal(DhGroup.Modp2048, summary.Payloads.InvalidKeAcceptedGroup);
        Assert.True(summary.Payloads.ContainsNotify(IkeNotifyType.InvalidKePayload));
        Assert.False(summary.Payloads.ContainsNotify(IkeNotifyType.Cookie));
    }

    [Fact]
    [Trait("rfc", "7383-2.5")]
    public void TryRead_Skf_FragmentFieldsAndPosition()
    {
        byte[] message = new IkeMessageBuilder { ExchangeType = 35, MessageId = 1 }
            .Add(IkePayloadType.EncryptedFragment, [0x00, 0x02, 0x00, 0x03, 0xAA, 0xBB, 0xCC, 0xDD])
            .Build();
        message[28] = 0;
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        Assert.Equal(DecodeAnomaly.None, summary.Anomaly);
        Assert.Equal(IkePayloadType.EncryptedFragment, summary.Payloads.EncryptedPayloadType);
        Assert.True(summary.Payloads.HasEncrypted);
        Assert.Equal(28, summary.Payloads.EncryptedOffset);
        Assert.Equal(12, summary.Payloads.EncryptedLength);
        Assert.Equal(IkePayloadType.None, summary.Payloads.EncryptedFirstPayload);
        Assert.Equal(2, summary.Payloads.FragmentNumber);
        Assert.Equal(3, summary.Payloads.TotalFragments);
        Assert.Equal(IkeChainStatus.Encrypted, summary.Payloads.ChainStatus);
    }

    [Fact]
    [Trait("rfc", "7383-2.5")]
    public void TryRead_SkfFragmentNumberZero_Malformed()
    {
        byte[] message = new IkeMessageBuilder { ExchangeType = 35 }
            .Add(IkePayloadType.EncryptedFragment, [0x00, 0x00, 0x00, 0x03, 0xAA])
            .Build();
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        Assert.Equal(DecodeAnomaly.IkeMalformed, summary.Anomaly);
    }

    [Fact]
    [Trait("rfc", "7296-3.14")]
    public void TryRead_ClearPayloadBeforeSk_ListsBoth()
    {
        byte[] message = new IkeMessageBuilder { ExchangeType = 37 }
            .Add(IkePayloadType.VendorId, [1, 2, 3, 4])
            .Add(IkePayloadType.Encrypted, new byte[20])
            .Build();
        message[36] = (byte)IkePayloadType.Notify;
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        Assert.Equal([IkePayloadType.VendorId, IkePayloadType.Encrypted], summary.Payloads.PayloadTypes.ToArray());
        Assert.Equal(36, summary.Payloads.EncryptedOffset);
        Assert.Equal(IkePayloadType.Notify, summary.Payloads.EncryptedFirstPayload);
    }

    [Fact]
    public void TryRead_MoreThanMaxPayloadsAndNotifies_Overflow()
    {
        var builder = new IkeMessageBuilder();
        for (int i = 0; i < 40; i++)
        {
            builder.Notify((ushort)(40960 + i));
        }
        Assert.True(IkeMessageSummary.TryRead(builder.Build(), out IkeMessageSummary summary));
        Assert.Equal(DecodeAnomaly.None, summary.Anomaly);
        Assert.Equal(IkePayloadSummary.MaxPayloads, summary.Payloads.PayloadCount);
        Assert.Equal(40, summary.Payloads.TotalPayloadCount);
        Assert.True(summary.Payloads.PayloadsOverflowed);
        Assert.Equal(IkePayloadSummary.MaxNotifies, summary.Payloads.NotifyCount);
        Assert.Equal(40, summary.Payloads.TotalNotifyCount);
        Assert.True(summary.Payloads.NotifiesOverflowed);
        Assert.Equal((IkeNotifyType)(40960 + 31), summary.Payloads.NotifyTypes[^1]);
    }

    [Fact]
    [Trait("rfc", "2408-3.1")]
    public void TryRead_IkeV1_RecognisedNotParsed()
    {
        byte[] message = new IkeMessageBuilder { Version = 0x10, ExchangeType = 2, Flags = 0 }.Add(1, new byte[8]).Build();
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        Assert.True(summary.IsIkeV1);
        Assert.Equal(DecodeAnomaly.None, summary.Anomaly);
        Assert.Equal(0, summary.Payloads.TotalPayloadCount);
        Assert.Equal((IkeExchangeType)2, summary.ExchangeType);
    }

    [Fact]
    [Trait("rfc", "7296-3.1")]
    public void TryRead_MajorVersion3_UnsupportedVersion()
    {
        byte[] message = new IkeMessageBuilder { Version = 0x30 }.Add(IkePayloadType.Nonce, new byte[16]).Build();
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        Assert.Equal(DecodeAnomaly.IkeUnsupportedVersion, summary.Anomaly);
        Assert.Equal(0, summary.Payloads.TotalPayloadCount);
    }

    [Fact]
    public void TryRead_ShortDatagram_FalseAndTooSmall()
    {
        Assert.False(IkeMessageSummary.TryRead(new byte[27], out IkeMessageSummary summary));
        Assert.Equal(DecodeAnomaly.IkePacketTooSmall, summary.Anomaly);
    }

    [Theory]
    [Trait("rfc", "7296-3.1")]
    [InlineData(20u, 0)]
    [InlineData(100u, 1)]
    [InlineData(48u, 1)]
    public void TryRead_LengthDisagreesWithDatagram_BadLength(uint length, int expectedPayloads)
    {
        byte[] message = new IkeMessageBuilder { LengthOverride = length }.Add(IkePayloadType.Nonce, new byte[16]).Build();
        if (length == 48u)
        {
            message = [.. message, 0xEE, 0xEE];
        }
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        Assert.Equal(DecodeAnomaly.IkeBadLength, summary.Anomaly);
        Assert.Equal(expectedPayloads, summary.Payloads.TotalPayloadCount);
    }

    [Fact]
    [Trait("rfc", "7296-3.2")]
    public void TryRead_ChainProblems_MapToAnomalies()
    {
        byte[] good = new IkeMessageBuilder().Add(IkePayloadType.Nonce, new byte[16]).Build();

        byte[] badLength = (byte[])good.Clone();
        badLength[31] = 2;
        Assert.Equal(DecodeAnomaly.IkePayloadBadLength, Summarize(badLength).Anomaly);

        byte[] truncated = (byte[])good.Clone();
        truncated[31] = 40;
        Assert.Equal(DecodeAnomaly.IkePayloadTruncated, Summarize(truncated).Anomaly);

        byte[] unterminated = (byte[])good.Clone();
        unterminated[28] = 41;
        Assert.Equal(DecodeAnomaly.IkeChainUnterminated, Summarize(unterminated).Anomaly);

        byte[] trailing = (byte[])good.Clone();
        trailing[31] = 16;
        IkeMessageSummary summary = Summarize(trailing);
        Assert.Equal(DecodeAnomaly.IkeTrailingData, summary.Anomaly);
        Assert.Equal(IkeChainStatus.TrailingData, summary.Payloads.ChainStatus);
    }

    [Fact]
    [Trait("rfc", "7296-3.10")]
    public void TryRead_NotifyBodyTooShort_MalformedButWalkGoesOn()
    {
        byte[] message = new IkeMessageBuilder()
            .Add(IkePayloadType.Notify, [0x00, 0x00])
            .Add(IkePayloadType.Nonce, new byte[16])
            .Build();
        IkeMessageSummary summary = Summarize(message);
        Assert.Equal(DecodeAnomaly.IkeMalformed, summary.Anomaly);
        Assert.Equal(0, summary.Payloads.NotifyCount);
        Assert.Equal(2, summary.Payloads.PayloadCount);
        Assert.Equal(IkeChainStatus.Complete, summary.Payloads.ChainStatus);
    }

    [Fact]
    [Trait("rfc", "5685-9.2")]
    public void TryRead_RedirectWithOverlongIdentity_MalformedAndNoRedirect()
    {
        byte[] message = new IkeMessageBuilder { Flags = 0x20 }.Notify(16407, [0x01, 0x09, 1, 2, 3, 4]).Build();
        IkeMessageSummary summary = Summarize(message);
        Assert.Equal(DecodeAnomaly.IkeMalformed, summary.Anomaly);
        Assert.Equal(IkeNotifyType.None, summary.Payloads.RedirectNotify);
        Assert.Equal([IkeNotifyType.Redirect], summary.Payloads.NotifyTypes.ToArray());
        Assert.False(summary.Payloads.TryFormatRedirectGateway(new char[64], out _));
    }

    [Fact]
    [Trait("rfc", "6290-5")]
    public void TryRead_QcdTokenTooShort_Malformed()
    {
        byte[] message = new IkeMessageBuilder { Flags = 0x20 }.Notify(16419, new byte[8], protocol: 1).Build();
        IkeMessageSummary summary = Summarize(message);
        Assert.Equal(DecodeAnomaly.IkeMalformed, summary.Anomaly);
        Assert.Equal(0, summary.Payloads.QcdTokenCount);
    }

    [Fact]
    [Trait("rfc", "7296-3.16")]
    public void TryRead_ClearEapPayload_CodeAndType()
    {
        byte[] message = new IkeMessageBuilder { ExchangeType = 35, Flags = 0x20 }
            .Add(IkePayloadType.Eap, [0x01, 0x02, 0x00, 0x05, 0x01])
            .Build();
        IkeMessageSummary summary = Summarize(message);
        Assert.True(summary.Payloads.HasEap);
        Assert.Equal(EapCode.Request, summary.Payloads.EapCode);
        Assert.Equal(2, summary.Payloads.EapIdentifier);
        Assert.Equal(1, summary.Payloads.EapType);
    }

    [Fact]
    public void TryRead_EveryCapturedMessage_AllocatesNothing()
    {
        var messages = new List<byte[]>();
        foreach (string capture in IkeCaptures.All)
        {
            messages.AddRange(IkeFrameExtractor.FromCapture(RepositoryPaths.PublicCapture(capture), out _).Select(d => d.Message));
        }
        Assert.True(messages.Count > 500);
        int anomalies = 0;
        foreach (byte[] m in messages)
        {
            IkeMessageSummary.TryRead(m, out _);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (byte[] m in messages)
        {
            IkeMessageSummary.TryRead(m, out IkeMessageSummary summary);
            anomalies += summary.Anomaly == DecodeAnomaly.None ? 0 : 1;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(anomalies > 0);
    }

    private static IkeMessageSummary Summarize(byte[] message)
    {
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary));
        return summary;
    }
}
