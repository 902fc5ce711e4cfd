using Visibility.Wire.Ike;
using Visibility.Wire.Tests.Ike.Support;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkePayloadSummaryTests
{
    // A decrypted IKE_AUTH response chain (RFC 5998 EAP-only flow, RFC 5685 §6 redirect in IKE_AUTH):
    private static readonly byte[] s_innerChain =
    [
        // 0: IDr: next EAP (48), length 12, ID_FQDN "gw.x"
        0x30, 0x00, 0x00, 0x0C, 0x02, 0x00, 0x00, 0x00, 0x67, 0x77, 0x2E, 0x78,
        // 12: EAP: next N (41), length 9; Request, id 1, EAP length 5, type 13 (EAP-TLS)
        0x29, 0x00, 0x00, 0x09, 0x01, 0x01, 0x00, 0x05, 0x0D,
        // 21: N: next 0, length 15; REDIRECT (0x4017) to FQDN "gw2.x" (no nonce in IKE_AUTH)
        0x00, 0x00, 0x00, 0x0F, 0x00, 0x00, 0x40, 0x17, 0x03, 0x05, 0x67, 0x77, 0x32, 0x2E, 0x78,
    ];

    [Fact]
    [Trait("rfc", "5685-6")]
    public void Read_DecryptedChain_OffsetsRelativeToChainAndRedirectCopied()
    {
        byte[] chain = (byte[])s_innerChain.Clone();
        IkePayloadSummary.Read(chain, 0, IkePayloadType.IdentificationResponder, out IkePayloadSummary summary);
        Assert.Equal(DecodeAnomaly.None, summary.Anomaly);
        Assert.Equal([IkePayloadType.IdentificationResponder, IkePayloadType.Eap, IkePayloadType.Notify], summary.PayloadTypes.ToArray());
        Assert.Equal([0, 12, 21], summary.PayloadOffsets.ToArray());
        Assert.Equal([21], summary.NotifyOffsets.ToArray());
        Assert.True(summary.HasEap);
        Assert.Equal(EapCode.Request, summary.EapCode);
        Assert.Equal(13, summary.EapType);
        Assert.Equal(IkeNotifyType.Redirect, summary.RedirectNotify);
        Assert.Equal(GatewayIdentityType.Fqdn, summary.RedirectGatewayType);
        Assert.Equal(0, summary.RedirectNonceLength);
        Assert.False(summary.HasEncrypted);
        Assert.True(summary.ContainsPayload(IkePayloadType.Eap));
        Assert.False(summary.ContainsPayload(IkePayloadType.Authentication));

        // The gateway identity was copied: it survives the reuse of the decryption buffer.
        Array.Clear(chain);
        Span<char> text = stackalloc char[32];
        Assert.True(summary.TryFormatRedirectGateway(text, out int written));
        Assert.Equal("gw2.x", text[..written].ToString());
    }

    [Fact]
    public void Read_EmptyChainWithNone_CompleteNothingRecorded()
    {
        IkePayloadSummary.Read([], 0, IkePayloadType.None, out IkePayloadSummary summary);
        Assert.Equal(IkeChainStatus.Complete, summary.ChainStatus);
        Assert.Equal(DecodeAnomaly.None, summary.Anomaly);
        Assert.Equal(0, summary.TotalPayloadCount);
        Assert.True(summary.PayloadTypes.IsEmpty);
    }

    [Fact]
    [Trait("rfc", "7296-3.4")]
    public void Read_KeyExchangeTooShort_MalformedAndNoGroup()
    {
        byte[] chain = IkeMessageBuilder.Chain([(34, [0x00, 0x0E]), (40, new byte[16])]);
        IkePayloadSummary.Read(chain, 0, IkePayloadType.KeyExchange, out IkePayloadSummary summary);
        Assert.Equal(DecodeAnomaly.IkeMalformed, summary.Anomaly);
        Assert.False(summary.HasKeyExchange);
        Assert.Equal(2, summary.PayloadCount);
    }

    [Fact]
    public void Read_FirstProblemWins()
    {
        // A malformed EAP body, then a truncated payload: the EAP problem is reported.
        byte[] chain = [.. IkeMessageBuilder.Chain([(48, [0x01])]), 0x00, 0x00, 0x00];
        chain[0] = 40;
        IkePayloadSummary.Read(chain, 0, IkePayloadType.Eap, out IkePayloadSummary summary);
        Assert.Equal(DecodeAnomaly.IkeMalformed, summary.Anomaly);
        Assert.Equal(IkeChainStatus.PayloadTruncated, summary.ChainStatus);
    }
}
