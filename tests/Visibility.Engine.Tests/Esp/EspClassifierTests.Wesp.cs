using Visibility.Engine.Esp;
using Visibility.Wire;
using static Visibility.Engine.Tests.Esp.EspTestPackets;

namespace Visibility.Engine.Tests.Esp;

public sealed partial class EspClassifierTests
{
    /// <summary>WESP header (RFC 5840 §2) + optional padding word + ESP packet.</summary>
    private static byte[] Wesp(byte nextHeader, byte hdrLen, byte trailerLen, byte flags, byte[] esp) =>
        [nextHeader, hdrLen, trailerLen, flags, .. (flags & 0x10) != 0 ? new byte[4] : [], .. esp];

    [Theory]
    [InlineData("v4-tcp-tls", false, false, 12, 0)]
    [InlineData("v4-udp-dns", false, true, 16, 8)]
    [InlineData("v6-icmpv6-echo", true, false, 12, 0)]
    [InlineData("v6-udp-echo", true, true, 32, 0)]
    [InlineData("v4-in-v6-tcp", true, false, 16, 8)]
    [Trait("rfc", "5840-2")]
    public void ClassifyWesp_IntegrityOnly_NullFromHeaderAndSliced(string sampleName, bool ipv6, bool udp, int icvLength, int ivLength)
    {
        EspSample sample = Sample(sampleName);
        // Native IPv6 carries the padding word; UDP over IPv6 here goes without (both forms are allowed).
        bool padded = ipv6 && !udp;
        int espOffset = padded ? 8 : 4;
        byte flags = padded ? (byte)0x10 : (byte)0x00;
        byte[] esp = EspNull(0x2000, 1, sample.NextHeader, sample.Payload, icvLength, ivLength);
        byte[] wesp = Wesp(sample.NextHeader, (byte)(espOffset + 8 + ivLength), (byte)icvLength, flags, esp);
        EspSaState sa = default;

        EspPacketVerdict first = _classifier.ClassifyWesp(ref sa, wesp, ipv6, udp, true, sample.Source, sample.Destination, 5);
        EspPacketVerdict second = _classifier.ClassifyWesp(ref sa, wesp, ipv6, udp, true, sample.Source, sample.Destination, 6);

        Assert.Equal(EspPacketKind.Cleartext, first.Kind);
        Assert.True(first.VerdictChanged);
        Assert.Equal(EspVerdictReason.WespIntegrityOnly, first.Reason);
        Assert.False(second.VerdictChanged);
        Assert.Equal(sample.Payload, wesp.AsSpan(first.CleartextOffset, first.CleartextLength).ToArray());
        Assert.Equal(sample.Mode, first.Mode);
        Assert.Equal(DecodeAnomaly.None, first.Anomaly);
        Assert.Equal(EspSaVerdict.Null, sa.Verdict);
        Assert.Equal(icvLength, sa.IcvLength);
        Assert.Equal(ivLength, sa.IvLength);
        Assert.Equal(5, sa.DecidedAtFrame);
        Assert.Equal(2, sa.NullPackets);
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void ClassifyWesp_Encrypted_EncryptedFromHeaderWithoutProbing()
    {
        byte[] wesp = Wesp(0, 0, 0, 0x20, RandomEsp(120, 1));
        EspSaState sa = default;

        EspPacketVerdict verdict = _classifier.ClassifyWesp(ref sa, wesp, false, false, true, V4Source, V4Destination, 3);

        Assert.Equal(EspPacketKind.Encrypted, verdict.Kind);
        Assert.True(verdict.VerdictChanged);
        Assert.Equal(EspVerdictReason.WespEncrypted, verdict.Reason);
        Assert.Equal(EspSaVerdict.Encrypted, sa.Verdict);
        Assert.Equal(3, sa.DecidedAtFrame);
        Assert.Equal(0, sa.ProbedPackets);
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void ClassifyWesp_EncryptedFlagFlips_VerdictFollows()
    {
        EspSample sample = Sample("v4-udp-dns");
        byte[] clear = Wesp(17, 12, 12, 0, EspNull(0x2000, 1, 17, sample.Payload, 12));
        byte[] encrypted = Wesp(0, 0, 0, 0x20, RandomEsp(80, 2));
        EspSaState sa = default;

        _classifier.ClassifyWesp(ref sa, clear, false, false, true, sample.Source, sample.Destination, 1);
        EspPacketVerdict toEncrypted = _classifier.ClassifyWesp(ref sa, encrypted, false, false, true, sample.Source, sample.Destination, 2);
        EspPacketVerdict backToNull = _classifier.ClassifyWesp(ref sa, clear, false, false, true, sample.Source, sample.Destination, 3);

        Assert.True(toEncrypted.VerdictChanged);
        Assert.Equal(EspVerdictReason.WespEncrypted, toEncrypted.Reason);
        Assert.True(backToNull.VerdictChanged);
        Assert.Equal(EspVerdictReason.WespIntegrityOnly, backToNull.Reason);
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void ClassifyWesp_ReservedBitsSet_FlaggedButStillInspected()
    {
        EspSample sample = Sample("v4-udp-dns");
        byte[] wesp = Wesp(17, 12, 12, 0x05, EspNull(0x2000, 1, 17, sample.Payload, 12));
        EspSaState sa = default;

        EspPacketVerdict verdict = _classifier.ClassifyWesp(ref sa, wesp, false, false, true, sample.Source, sample.Destination, 1);

        Assert.Equal(EspPacketKind.Cleartext, verdict.Kind);
        Assert.Equal(DecodeAnomaly.WespBadFlags, verdict.Anomaly);
    }

    [Fact]
    [Trait("rfc", "5840-3")]
    public void ClassifyWesp_IntegrityOnlyButPayloadInvalid_PayloadMismatch()
    {
        // E = 0 and Next Header TCP, but the octets at HdrLen are not a TCP header (Data Offset 1).
        byte[] garbage = RandomBytes(40, 8);
        garbage[12] = 0x10;
        byte[] wesp = Wesp(6, 12, 12, 0, EspNull(0x2000, 1, 6, garbage, 12));
        EspSaState sa = default;

        EspPacketVerdict verdict = _classifier.ClassifyWesp(ref sa, wesp, false, false, true, V4Source, V4Destination, 1);

        Assert.Equal(EspPacketKind.Malformed, verdict.Kind);
        Assert.Equal(DecodeAnomaly.WespPayloadMismatch, verdict.Anomaly);
        Assert.False(verdict.IsCleartext);
    }

    [Theory]
    [InlineData(new byte[] { 6, 12 }, DecodeAnomaly.WespPacketTooSmall, EspPacketKind.TooSmall)]
    [InlineData(new byte[] { 6, 12, 12, 0x40, 0, 0, 1, 0, 0, 0, 0, 1 }, DecodeAnomaly.WespBadVersion, EspPacketKind.Malformed)]
    [InlineData(new byte[] { 6, 12, 12, 0x10, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 }, DecodeAnomaly.WespBadPadding, EspPacketKind.Malformed)]
    [InlineData(new byte[] { 6, 8, 12, 0, 0, 0, 1, 0, 0, 0, 0, 1 }, DecodeAnomaly.WespBadHeaderLength, EspPacketKind.Malformed)]
    [InlineData(new byte[] { 6, 0, 0, 0x20, 0, 0, 1, 0, 0, 0, 0, 1 }, DecodeAnomaly.WespBadNextHeader, EspPacketKind.Malformed)]
    public void ClassifyWesp_HeaderFails_AnomalyAndNoVerdict(byte[] wesp, DecodeAnomaly anomaly, EspPacketKind kind)
    {
        EspSaState sa = default;

        EspPacketVerdict verdict = _classifier.ClassifyWesp(ref sa, wesp, false, false, true, V4Source, V4Destination, 1);

        Assert.Equal(anomaly, verdict.Anomaly);
        Assert.Equal(kind, verdict.Kind);
        Assert.Equal(EspSaVerdict.Unknown, sa.Verdict);
        Assert.Equal(1, sa.Packets);
    }

    [Fact]
    public void ClassifyWesp_NotWhole_VerdictFromHeaderOnly()
    {
        EspSample sample = Sample("v4-tcp-tls");
        byte[] wesp = Wesp(6, 12, 12, 0, EspNull(0x2000, 1, 6, sample.Payload, 12));
        EspSaState sa = default;

        EspPacketVerdict verdict = _classifier.ClassifyWesp(ref sa, wesp.AsSpan(0, 40), false, false, whole: false, V4Source, V4Destination, 1);

        Assert.Equal(EspPacketKind.NotWhole, verdict.Kind);
        Assert.Equal(EspSaVerdict.Null, sa.Verdict);
        Assert.Equal(12, sa.IcvLength);
        Assert.Equal(0, sa.NullPackets);
    }

    [Fact]
    [Trait("rfc", "4303-2.6")]
    public void ClassifyWesp_Dummy_NotCleartext()
    {
        byte[] wesp = Wesp(59, 12, 16, 0, EspNull(0x2000, 1, 59, RandomBytes(30, 1), 16));
        EspSaState sa = default;

        EspPacketVerdict verdict = _classifier.ClassifyWesp(ref sa, wesp, false, false, true, V4Source, V4Destination, 1);

        Assert.Equal(EspPacketKind.Dummy, verdict.Kind);
        Assert.False(verdict.IsCleartext);
        Assert.Equal(0, sa.NullPackets);
        Assert.True(sa.NextHeaders.Contains(59));
    }
}
