using Visibility.Wire;
using Visibility.Wire.Esp;

namespace Visibility.Engine.Esp;

/// <summary>Tells ESP-NULL from encrypted ESP per SA (RFC 5879 heuristics) and reads WESP headers (RFC 5840), and
/// for each packet says whether and where its cleartext can be inspected.</summary>
/// <remarks>
/// <para>The caller keeps one <see cref="EspSaState"/> per SA, keyed by (outer source, outer destination, SPI), plus
/// both UDP ports when the packet was UDP-encapsulated (RFC 5879 §4, §7), starting from <c>default</c>, and passes it by
/// reference with every packet of that SA, in capture order. The classifier itself holds only its options: one
/// instance serves every SA and thread.</para>
/// <para>Steady state allocates nothing: the state is a value, the result a small struct, and the packet is read in
/// place. The decision procedure and its thresholds are described on <see cref="EspSaState"/>.</para>
/// <para>Anomalies returned: <c>esp.pkt_too_small</c> (fewer than 8 octets), <c>esp.bad_trailer</c> (a NULL SA's packet
/// that does not fit its layout; also a WESP Pad Length that does not fit), and every <c>wesp.*</c> check of
/// <see cref="WespHeader"/>, plus <c>wesp.bad_flags</c> for non-zero reserved bits (ignored by endpoints, flagged here)
/// and <c>wesp.payload_mismatch</c>. A zero SPI is left to the decoder.</para>
/// </remarks>
public sealed class EspClassifier
{
    private readonly EspClassifierOptions _options;

    public EspClassifier()
        : this(EspClassifierOptions.Default)
    {
    }

    /// <exception cref="ArgumentOutOfRangeException">A threshold in <paramref name="options"/> is below 1.</exception>
    public EspClassifier(EspClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public EspClassifierOptions Options => _options;

    /// <summary>Classifies one ESP packet (IP protocol 50, or UDP-encapsulated after the UDP header) and advances its
    /// SA's state.</summary>
    /// <param name="sa">The SA's state; updated in place.</param>
    /// <param name="esp">From the first SPI octet to the end of the ICV, as captured (the decoder's
    /// <c>EspOffset</c>/<c>EspLength</c>, clamped to the capture).</param>
    /// <param name="whole">The whole datagram was captured (<c>PacketMeta.IsWhole</c>), so the trailer is at the end of
    /// <paramref name="esp"/>. Other packets are counted but not probed (<see cref="EspPacketKind.NotWhole"/>).</param>
    /// <param name="outerSource">Outer IP source: the pseudo-header of transport-mode checksums. May be default
    /// (unknown); checksums that need it are then skipped.</param>
    /// <param name="outerDestination">Outer IP destination.</param>
    /// <param name="frameNumber">The packet's frame number (EVE <c>pcap_cnt</c>), recorded when a verdict is set.</param>
    public EspPacketVerdict Classify(ref EspSaState sa, ReadOnlySpan<byte> esp, bool whole, in NetworkAddress outerSource,
        in NetworkAddress outerDestination, long frameNumber)
    {
        sa.CountPacket();
        if (esp.Length < EspTrailer.HeaderLength)
        {
            return Plain(EspPacketKind.TooSmall, sa, DecodeAnomaly.EspPacketTooSmall);
        }
        if (!whole)
        {
            return Plain(EspPacketKind.NotWhole, sa, DecodeAnomaly.None);
        }
        if (sa.IsNegotiated)
        {
            return ClassifyNegotiated(ref sa, esp, outerSource, outerDestination);
        }
        // The skip paths come first: they read nothing and change nothing but the packet count.
        switch (sa.Verdict)
        {
            case EspSaVerdict.Encrypted when !sa.RecheckPending && sa.Packets % _options.RecheckInterval != 0:
                return Plain(EspPacketKind.Encrypted, sa, DecodeAnomaly.None);
            case EspSaVerdict.Unsure when sa.Packets % _options.UnsureProbeInterval != 0:
                return Plain(EspPacketKind.Undecided, sa, DecodeAnomaly.None);
        }
        PseudoHeader outer = PseudoHeader.FromAddresses(outerSource, outerDestination);
        EspProbeResult probe;
        if (sa.Verdict == EspSaVerdict.Null)
        {
            EspLayoutCheck fast = EspProbe.CheckLayout(esp, sa.Layout, sa.IcvLength, sa.IvLength, outer, verifyChecksums: false);
            probe = fast.FitsKnownLayout ? EspProbeResult.Single(fast) : EspProbe.Probe(esp, outer);
        }
        else
        {
            probe = EspProbe.Probe(esp, outer);
        }
        EspSaState before = sa;
        sa = EspSaState.Advance(before, probe, frameNumber, _options);
        return Describe(before, sa, probe);
    }

    /// <summary>Fixes an SA's verdict from its known transform (the hook for IKE tracking and key files): ENCR_NULL and
    /// ENCR_NULL_AUTH_AES_GMAC make it NULL with the given ICV/IV lengths, any other cipher encrypted. From then on the
    /// heuristics no longer run for this SA: encrypted packets are skipped and NULL packets are read at those lengths
    /// only. Returns the verdict to report (an EVE <c>esp</c> record when <see cref="EspPacketVerdict.VerdictChanged"/>).</summary>
    /// <param name="sa">The SA's state; updated in place.</param>
    /// <param name="isNull">The negotiated cipher is ENCR_NULL or ENCR_NULL_AUTH_AES_GMAC.</param>
    /// <param name="icvLength">ICV octets of the negotiated integrity algorithm (16 for GMAC).</param>
    /// <param name="ivLength">IV octets (8 for GMAC, 0 for ENCR_NULL).</param>
    /// <param name="reason"><see cref="EspVerdictReason.Negotiated"/> or <see cref="EspVerdictReason.KeyFile"/>.</param>
    /// <param name="frameNumber">The frame on which the transform became known.</param>
    public static EspPacketVerdict Negotiate(ref EspSaState sa, bool isNull, int icvLength, int ivLength, EspVerdictReason reason, long frameNumber)
    {
        EspSaState before = sa;
        sa = EspSaState.Negotiate(before, isNull, icvLength, ivLength, reason, frameNumber);
        bool changed = EspSaState.VerdictDiffers(before, sa) || !before.IsNegotiated;
        return new EspPacketVerdict(EspPacketKind.Undecided, 0, 0, 0, EspMode.None, 0, 0, sa.Verdict, changed, changed ? reason : EspVerdictReason.None,
            DecodeAnomaly.None);
    }

    /// <summary>Classifies one WESP packet (IP protocol 141, or UDP-encapsulated after the 0x00000002 identifier) from
    /// its header, checks the header (RFC 5840 §2) and advances its SA's state. No heuristics: E says it all.</summary>
    /// <param name="sa">The SA's state; updated in place.</param>
    /// <param name="wesp">From the first WESP octet to the end of the ICV, as captured.</param>
    /// <param name="ipv6">The outer IP header is IPv6 (decides the padding word rules).</param>
    /// <param name="udpEncapsulated">Carried in UDP (RFC 5840 §2.1): over IPv6 the padding word is then optional.</param>
    /// <param name="whole">The whole datagram was captured; without it only the header is checked.</param>
    /// <param name="outerSource">Outer IP source (pseudo-header for the structural check of transport payloads).</param>
    /// <param name="outerDestination">Outer IP destination.</param>
    /// <param name="frameNumber">The packet's frame number (EVE <c>pcap_cnt</c>).</param>
    public EspPacketVerdict ClassifyWesp(ref EspSaState sa, ReadOnlySpan<byte> wesp, bool ipv6, bool udpEncapsulated, bool whole,
        in NetworkAddress outerSource, in NetworkAddress outerDestination, long frameNumber)
    {
        EspSaState before = sa;
        sa.CountPacket();
        bool read = whole
            ? WespHeader.TryRead(wesp, ipv6, udpEncapsulated, out WespHeader header, out DecodeAnomaly anomaly)
            : WespHeader.TryReadHeader(wesp, ipv6, udpEncapsulated, out header, out anomaly);
        if (!read)
        {
            EspPacketKind kind = anomaly == DecodeAnomaly.WespPacketTooSmall ? EspPacketKind.TooSmall : EspPacketKind.Malformed;
            return Plain(kind, sa, anomaly);
        }
        // Endpoints ignore reserved bits (RFC 5840 §2); a middlebox may treat them as policy, so they are reported.
        anomaly = header.Reserved != 0 ? DecodeAnomaly.WespBadFlags : DecodeAnomaly.None;
        if (header.Encrypted)
        {
            sa = EspSaState.AdvanceWesp(sa, encrypted: true, 0, 0, -1, frameNumber);
            return WithChange(before, sa, EspPacketKind.Encrypted, anomaly);
        }
        int icvLength = header.TrailerLen;
        int ivLength = header.IvLength;
        if (!whole)
        {
            sa = EspSaState.AdvanceWesp(sa, encrypted: false, icvLength, ivLength, -1, frameNumber);
            return WithChange(before, sa, EspPacketKind.NotWhole, anomaly);
        }
        byte nextHeader = header.NextHeader;
        int cleartextLength = header.CleartextLength;
        EspPacketKind result = EspPacketKind.Dummy;
        if (nextHeader != EspTrailer.DummyNextHeader)
        {
            EspCheckTally tally = default;
            PseudoHeader outer = PseudoHeader.FromAddresses(outerSource, outerDestination);
            EspInnerStatus status = EspInnerChecks.Check(nextHeader, header.Cleartext, outer, verifyChecksums: false, ref tally, out cleartextLength);
            if (status == EspInnerStatus.Invalid)
            {
                sa = EspSaState.AdvanceWesp(sa, encrypted: false, icvLength, ivLength, -1, frameNumber);
                return WithChange(before, sa, EspPacketKind.Malformed, DecodeAnomaly.WespPayloadMismatch);
            }
            result = EspPacketKind.Cleartext;
        }
        sa = EspSaState.AdvanceWesp(sa, encrypted: false, icvLength, ivLength, nextHeader, frameNumber);
        bool changed = EspSaState.VerdictDiffers(before, sa);
        return new EspPacketVerdict(result, header.CleartextOffset, cleartextLength, nextHeader, EspLayoutCheck.ModeOf(nextHeader),
            icvLength, ivLength, sa.Verdict, changed, changed ? sa.Reason : EspVerdictReason.None, anomaly);
    }

    /// <summary>A packet of an SA whose transform is known: no probing, the verdict never changes.</summary>
    private static EspPacketVerdict ClassifyNegotiated(ref EspSaState sa, ReadOnlySpan<byte> esp, in NetworkAddress outerSource, in NetworkAddress outerDestination)
    {
        if (sa.Verdict != EspSaVerdict.Null)
        {
            return Plain(EspPacketKind.Encrypted, sa, DecodeAnomaly.None);
        }
        PseudoHeader outer = PseudoHeader.FromAddresses(outerSource, outerDestination);
        EspLayoutCheck check = EspProbe.CheckLayout(esp, sa.Layout, sa.IcvLength, sa.IvLength, outer, verifyChecksums: false);
        sa = EspSaState.AdvanceNegotiated(sa, check);
        if (!check.FitsKnownLayout)
        {
            return new EspPacketVerdict(EspPacketKind.Malformed, 0, 0, 0, EspMode.None, 0, 0, sa.Verdict, false, EspVerdictReason.None,
                DecodeAnomaly.EspBadTrailer);
        }
        EspPacketKind kind = check.Fit == EspFit.Dummy ? EspPacketKind.Dummy : EspPacketKind.Cleartext;
        return FromCheck(kind, check, sa, false, EspVerdictReason.None, DecodeAnomaly.None);
    }

    private static EspPacketVerdict Describe(in EspSaState before, in EspSaState after, in EspProbeResult probe)
    {
        bool changed = EspSaState.VerdictDiffers(before, after);
        EspVerdictReason reason = changed ? after.Reason : EspVerdictReason.None;
        DecodeAnomaly anomaly = DecodeAnomaly.None;
        if (after.Verdict == EspSaVerdict.Null)
        {
            EspLayoutCheck check = after.Layout == EspLayout.None ? probe.Best : probe[after.Layout];
            if (check.FitsKnownLayout)
            {
                EspPacketKind kind = check.Fit == EspFit.Dummy ? EspPacketKind.Dummy : EspPacketKind.Cleartext;
                return FromCheck(kind, check, after, changed, reason, anomaly);
            }
            return new EspPacketVerdict(EspPacketKind.Malformed, 0, 0, 0, EspMode.None, 0, 0, after.Verdict, changed, reason,
                DecodeAnomaly.EspBadTrailer);
        }
        if (before.Verdict == EspSaVerdict.Null)
        {
            // The SA lost its layout on this packet, which did not fit it either.
            anomaly = DecodeAnomaly.EspBadTrailer;
        }
        EspLayoutCheck best = probe.Best;
        if (best.Fit == EspFit.Strong)
        {
            return FromCheck(EspPacketKind.ProbeCleartext, best, after, changed, reason, anomaly);
        }
        EspPacketKind plain = after.Verdict == EspSaVerdict.Encrypted ? EspPacketKind.Encrypted : EspPacketKind.Undecided;
        return new EspPacketVerdict(plain, 0, 0, 0, EspMode.None, 0, 0, after.Verdict, changed, reason, anomaly);
    }

    private static EspPacketVerdict FromCheck(EspPacketKind kind, in EspLayoutCheck check, in EspSaState after, bool changed,
        EspVerdictReason reason, DecodeAnomaly anomaly)
    {
        int icvLength = check.Layout == EspLayout.None ? after.IcvLength : EspLayouts.IcvLength(check.Layout);
        int ivLength = check.Layout == EspLayout.None ? after.IvLength : EspLayouts.IvLength(check.Layout);
        return new EspPacketVerdict(kind, check.CleartextOffset, check.CleartextLength, check.NextHeader, check.Mode, icvLength, ivLength,
            after.Verdict, changed, reason, anomaly);
    }

    private static EspPacketVerdict WithChange(in EspSaState before, in EspSaState after, EspPacketKind kind, DecodeAnomaly anomaly)
    {
        bool changed = EspSaState.VerdictDiffers(before, after);
        return new EspPacketVerdict(kind, 0, 0, 0, EspMode.None, 0, 0, after.Verdict, changed, changed ? after.Reason : EspVerdictReason.None,
            anomaly);
    }

    private static EspPacketVerdict Plain(EspPacketKind kind, in EspSaState sa, DecodeAnomaly anomaly) =>
        new(kind, 0, 0, 0, EspMode.None, 0, 0, sa.Verdict, false, EspVerdictReason.None, anomaly);
}
