namespace Visibility.Engine.Esp;

/// <summary>The classifier's state for one ESP or WESP SA: a fixed-size value the flow table keeps per
/// (source, destination, SPI [, ports]) and hands to <see cref="EspClassifier"/> by reference.</summary>
/// <remarks>
/// <para>The decision, in the spirit of RFC 5879 §4 and §8.3 (design and thresholds ours):</para>
/// <list type="number">
/// <item>Each whole packet is read with every candidate layout (<see cref="EspLayouts.ProbeOrder"/>). At each layout it
///   is Strong (at least 32 check bits including a verified 16-bit checksum or exact length), Plausible (at least 16
///   bits), neutral (a dummy packet, default padding with a Next Header that cannot be checked, or bare structure), or
///   Fail. Random ciphertext reaches Strong at a given layout with a chance near 2^-40 (8 bits of Next Header, 32 bits
///   of checks).</item>
/// <item>Per layout a small score: Strong +2, Plausible +1, neutral unchanged, Fail resets it to 0. The SA is NULL when
///   one layout reaches <see cref="EspClassifierOptions.ConfirmPoints"/> (4): two strong packets, or four plausible
///   ones, at the same layout with no failing packet between. One packet never decides: an encrypted SA can carry a
///   packet whose last octets happen to (or are made to) look like a valid trailer and a checksummed header; the next
///   packets of that SA fail the layout and reset it. Two independent strong packets at one layout come from random
///   data with a chance near 2^-80; four plausible ones near 2^-96, the 96-bit example of RFC 5879 §8.3. The plausible
///   path covers transport mode behind a NAT, where inner checksums no longer match the outer addresses (§8.3.1).</item>
/// <item>An ESP-NULL packet with a supported integrity algorithm always fits its own layout, so a packet that fits no
///   layout at all is evidence of encryption (or of an integrity algorithm we do not know, the only way RFC 5879 §3
///   accepts to miss ESP-NULL). The SA is encrypted after <see cref="EspClassifierOptions.EncryptedAfter"/> (2) such
///   packets, plus two more for every strong packet seen, so a NULL SA whose evidence is interrupted by a damaged
///   packet is not called encrypted early. Neutral packets count toward neither verdict (§8.2 "unsure").</item>
/// <item>NULL SAs take the fast path: the trailer at the known ICV and the inner header's structure, no checksums. After
///   <see cref="EspClassifierOptions.ReprobeAfter"/> (2) consecutive misfits the SA is probed again (§6: single failures
///   are not SA reuse). Encrypted SAs are probed every <see cref="EspClassifierOptions.RecheckInterval"/> (64) packets,
///   and on every packet while such a re-check is building a score. SAs undecided after
///   <see cref="EspClassifierOptions.ProbeLimit"/> (32) probes become <see cref="EspSaVerdict.Unsure"/> and are sampled
///   every <see cref="EspClassifierOptions.UnsureProbeInterval"/> (8) packets.</item>
/// </list>
/// <para>Packets that pass as Strong before the SA is NULL are still offered for inspection
/// (<see cref="EspPacketKind.ProbeCleartext"/>); they enter <see cref="NullPackets"/> and <see cref="NextHeaders"/> only
/// if the SA is then decided NULL, so an encrypted SA's counters stay empty.</para>
/// <para><see cref="Advance"/> is pure: it returns the next state and leaves its input alone.</para>
/// </remarks>
public struct EspSaState
{
    private const int MaxLayoutScore = 15;

    /// <summary>Eight bits per layout, indexed by <see cref="EspLayouts.Index"/>.</summary>
    private ulong _layoutScores;

    /// <summary>The SA's verdict (EVE <c>esp.verdict</c> through <see cref="EspNames.Verdict"/>).</summary>
    public EspSaVerdict Verdict { readonly get; private set; }

    /// <summary>The layout of a NULL SA found by probing; <see cref="EspLayout.None"/> otherwise (also for WESP).</summary>
    public EspLayout Layout { readonly get; private set; }

    /// <summary>ICV length of a NULL SA (EVE <c>icv_len</c>); 0 otherwise.</summary>
    public byte IcvLength { readonly get; private set; }

    /// <summary>IV length of a NULL SA (EVE <c>iv_len</c>); 0 otherwise.</summary>
    public byte IvLength { readonly get; private set; }

    /// <summary>Mode of a NULL SA, from the Next Header of its cleartext packets (EVE <c>mode</c>).</summary>
    public EspMode Mode { readonly get; private set; }

    /// <summary>Why the verdict was last set (EVE <c>esp.reason</c>).</summary>
    public EspVerdictReason Reason { readonly get; private set; }

    /// <summary>Next Header values of the SA's cleartext and dummy packets (EVE <c>next_headers</c>).</summary>
    public NextHeaderSet NextHeaders { readonly get; private set; }

    /// <summary>Every packet handed to the classifier for this SA.</summary>
    public long Packets { readonly get; private set; }

    /// <summary>Packets decapsulated as cleartext (EVE <c>null_packets</c>); dummy packets excluded.</summary>
    public long NullPackets { readonly get; private set; }

    /// <summary>Frame number (EVE <c>pcap_cnt</c>) of the packet that set the current verdict; 0 while undecided.</summary>
    public long DecidedAtFrame { readonly get; private set; }

    /// <summary>Packets probed since probing (re)started.</summary>
    public int ProbedPackets { readonly get; private set; }

    /// <summary>Probing: packets that were strong at some layout.</summary>
    public int StrongPackets { readonly get; private set; }

    /// <summary>NULL: packets that fitted the layout since the decision.</summary>
    public int Confirmations { readonly get; private set; }

    /// <summary>Probing: packets that fitted no layout. NULL: consecutive packets that did not fit the layout.</summary>
    public int Violations { readonly get; private set; }

    /// <summary>Encrypted: a re-check found a layout worth following, so packets are probed until it is decided.</summary>
    public bool RecheckPending { readonly get; private set; }

    /// <summary>The verdict was set from outside the heuristics, by the IKE negotiation or a key file
    /// (<see cref="Negotiate"/>): it no longer changes, and a NULL SA's packets are read at the given lengths only.</summary>
    public bool IsNegotiated { readonly get; private set; }

    /// <summary>Strong packets not yet counted in <see cref="NullPackets"/> (counted if the SA is decided NULL).</summary>
    public int TentativePackets { readonly get; private set; }

    /// <summary>Next Headers of <see cref="TentativePackets"/>.</summary>
    public NextHeaderSet TentativeNextHeaders { readonly get; private set; }

    /// <summary>The score of one layout (0-15); see the remarks.</summary>
    public readonly int LayoutScore(EspLayout layout)
    {
        int index = EspLayouts.Index(layout);
        return (uint)index < EspLayouts.Count ? (int)(_layoutScores >> (index * 8)) & 0xFF : 0;
    }

    /// <summary>The verdict as EVE reports it has changed between two states (or a NULL SA's lengths changed).</summary>
    public static bool VerdictDiffers(in EspSaState before, in EspSaState after) =>
        PublicVerdict(before.Verdict) != PublicVerdict(after.Verdict)
        || (after.Verdict == EspSaVerdict.Null && (before.IcvLength != after.IcvLength || before.IvLength != after.IvLength));

    /// <summary>The next state after a probed packet (a full probe, or the fast-path check of a NULL SA's layout).</summary>
    internal static EspSaState Advance(in EspSaState state, in EspProbeResult probe, long frameNumber, EspClassifierOptions options)
    {
        EspSaState next = state;
        switch (next.Verdict)
        {
            case EspSaVerdict.Null:
                next.ApplyToNull(probe, frameNumber, options);
                break;
            case EspSaVerdict.Encrypted:
                next.ApplyRecheck(probe, frameNumber, options);
                break;
            default:
                if (next.Verdict == EspSaVerdict.Unknown)
                {
                    next.Verdict = EspSaVerdict.Probing;
                }
                next.ApplyProbe(probe, frameNumber, options);
                break;
        }
        return next;
    }

    /// <summary>The next state after a WESP packet, whose header states the verdict (RFC 5840 §2).</summary>
    /// <param name="state">The state before the packet.</param>
    /// <param name="encrypted">The E flag.</param>
    /// <param name="icvLength">TrailerLen (E = 0).</param>
    /// <param name="ivLength">IV length implied by HdrLen (E = 0).</param>
    /// <param name="cleartextNextHeader">The Next Header of a cleartext or dummy packet to count, or -1.</param>
    /// <param name="frameNumber">The packet's frame number.</param>
    internal static EspSaState AdvanceWesp(in EspSaState state, bool encrypted, int icvLength, int ivLength, int cleartextNextHeader, long frameNumber)
    {
        EspSaState next = state;
        if (encrypted)
        {
            if (next.Verdict != EspSaVerdict.Encrypted)
            {
                next.EnterEncrypted(frameNumber, EspVerdictReason.WespEncrypted);
            }
            return next;
        }
        if (next.Verdict != EspSaVerdict.Null)
        {
            next.EnterNull(EspLayout.None, icvLength, ivLength, frameNumber, EspVerdictReason.WespIntegrityOnly);
        }
        else if (next.IcvLength != icvLength || next.IvLength != ivLength)
        {
            next.IcvLength = (byte)icvLength;
            next.IvLength = (byte)ivLength;
            next.Reason = EspVerdictReason.WespLayoutChanged;
            next.DecidedAtFrame = frameNumber;
        }
        if (cleartextNextHeader >= 0)
        {
            next.Confirmations = Increment(next.Confirmations);
            next.CountCleartext((byte)cleartextNextHeader);
        }
        return next;
    }

    /// <summary>The state after the SA's transform became known for certain (a decrypted IKE negotiation or an
    /// <c>esp_sa</c> key file): ENCR_NULL and ENCR_NULL_AUTH_AES_GMAC are NULL with the given ICV and IV lengths, any
    /// other cipher is encrypted. Evidence gathered so far is kept (tentative cleartext counts for a NULL SA).</summary>
    internal static EspSaState Negotiate(in EspSaState state, bool isNull, int icvLength, int ivLength, EspVerdictReason reason, long frameNumber)
    {
        EspSaState next = state;
        if (isNull)
        {
            next.EnterNull(LayoutOf(icvLength, ivLength), icvLength, ivLength, frameNumber, reason);
        }
        else
        {
            next.EnterEncrypted(frameNumber, reason);
        }
        next.IsNegotiated = true;
        return next;
    }

    /// <summary>The next state of a negotiated NULL SA after the check of one packet at its known lengths: the
    /// verdict stays; fitting packets are counted as cleartext, others as violations.</summary>
    internal static EspSaState AdvanceNegotiated(in EspSaState state, in EspLayoutCheck check)
    {
        EspSaState next = state;
        if (check.FitsKnownLayout)
        {
            next.Violations = 0;
            next.Confirmations = Increment(next.Confirmations);
            next.CountCleartext(check.NextHeader);
        }
        else
        {
            next.Violations = Increment(next.Violations);
        }
        return next;
    }

    /// <summary>Counts a packet handed to the classifier, probed or not.</summary>
    internal void CountPacket() => Packets = Packets == long.MaxValue ? Packets : Packets + 1;

    private void ApplyProbe(in EspProbeResult probe, long frameNumber, EspClassifierOptions options)
    {
        ProbedPackets = Increment(ProbedPackets);
        ScoreLayouts(probe);
        EspLayoutCheck best = probe.Best;
        if (best.Fit == EspFit.Fail)
        {
            Violations = Increment(Violations);
        }
        else if (best.Fit == EspFit.Strong)
        {
            StrongPackets = Increment(StrongPackets);
        }
        if (TryDecideNull(probe, frameNumber, options, EspVerdictReason.NullConfirmed))
        {
            return;
        }
        if (best.Fit == EspFit.Strong)
        {
            CountTentative(best.NextHeader);
        }
        if (Violations >= options.EncryptedAfter + 2L * StrongPackets)
        {
            EnterEncrypted(frameNumber, EspVerdictReason.EncryptedNoFit);
        }
        else if (Verdict == EspSaVerdict.Probing && ProbedPackets >= options.ProbeLimit)
        {
            Verdict = EspSaVerdict.Unsure;
            Reason = EspVerdictReason.ProbeLimit;
        }
    }

    private void ApplyToNull(in EspProbeResult probe, long frameNumber, EspClassifierOptions options)
    {
        EspLayoutCheck check = Layout == EspLayout.None ? probe.Best : probe[Layout];
        if (check.FitsKnownLayout)
        {
            Violations = 0;
            Confirmations = Increment(Confirmations);
            CountCleartext(check.NextHeader);
            return;
        }
        Violations = Increment(Violations);
        if (Violations < options.ReprobeAfter)
        {
            return;
        }
        Verdict = EspSaVerdict.Probing;
        Reason = EspVerdictReason.NullStoppedFitting;
        Layout = EspLayout.None;
        IcvLength = 0;
        IvLength = 0;
        DecidedAtFrame = 0;
        ResetEvidence();
        if (probe.IsFull)
        {
            ApplyProbe(probe, frameNumber, options);
        }
    }

    private void ApplyRecheck(in EspProbeResult probe, long frameNumber, EspClassifierOptions options)
    {
        ScoreLayouts(probe);
        if (TryDecideNull(probe, frameNumber, options, EspVerdictReason.NullAfterRecheck))
        {
            return;
        }
        RecheckPending = _layoutScores != 0;
        if (probe.Best.Fit == EspFit.Strong)
        {
            CountTentative(probe.Best.NextHeader);
        }
        else if (!RecheckPending)
        {
            TentativePackets = 0;
            TentativeNextHeaders = default;
        }
    }

    private bool TryDecideNull(in EspProbeResult probe, long frameNumber, EspClassifierOptions options, EspVerdictReason reason)
    {
        EspLayout bestLayout = EspLayout.None;
        int bestScore = 0;
        foreach (EspLayout layout in EspLayouts.ProbeOrder)
        {
            int score = LayoutScore(layout);
            if (score > bestScore)
            {
                bestScore = score;
                bestLayout = layout;
            }
        }
        if (bestScore < options.ConfirmPoints)
        {
            return false;
        }
        EspLayoutCheck check = probe[bestLayout];
        EnterNull(bestLayout, EspLayouts.IcvLength(bestLayout), EspLayouts.IvLength(bestLayout), frameNumber, reason);
        if (check.FitsKnownLayout)
        {
            Confirmations = 1;
            CountCleartext(check.NextHeader);
        }
        return true;
    }

    private void ScoreLayouts(in EspProbeResult probe)
    {
        ulong scores = _layoutScores;
        for (int i = 0; i < EspLayouts.Count; i++)
        {
            int shift = i * 8;
            int score = (int)(scores >> shift) & 0xFF;
            score = probe[EspLayouts.FromIndex(i)].Fit switch
            {
                EspFit.Fail => 0,
                EspFit.Strong => Math.Min(score + 2, MaxLayoutScore),
                EspFit.Plausible => Math.Min(score + 1, MaxLayoutScore),
                _ => score,
            };
            scores = (scores & ~(0xFFUL << shift)) | ((ulong)score << shift);
        }
        _layoutScores = scores;
    }

    private void EnterNull(EspLayout layout, int icvLength, int ivLength, long frameNumber, EspVerdictReason reason)
    {
        Verdict = EspSaVerdict.Null;
        Layout = layout;
        IcvLength = (byte)icvLength;
        IvLength = (byte)ivLength;
        Reason = reason;
        DecidedAtFrame = frameNumber;
        NullPackets += TentativePackets;
        NextHeaders = NextHeaders.Union(TentativeNextHeaders);
        ResetEvidence();
    }

    private void EnterEncrypted(long frameNumber, EspVerdictReason reason)
    {
        Verdict = EspSaVerdict.Encrypted;
        Layout = EspLayout.None;
        IcvLength = 0;
        IvLength = 0;
        Reason = reason;
        DecidedAtFrame = frameNumber;
        ResetEvidence();
    }

    private void ResetEvidence()
    {
        _layoutScores = 0;
        ProbedPackets = 0;
        StrongPackets = 0;
        Confirmations = 0;
        Violations = 0;
        RecheckPending = false;
        TentativePackets = 0;
        TentativeNextHeaders = default;
    }

    private void CountCleartext(byte nextHeader)
    {
        NextHeaders = NextHeaders.Add(nextHeader);
        EspMode mode = EspLayoutCheck.ModeOf(nextHeader);
        if (mode == EspMode.None)
        {
            return;
        }
        NullPackets = NullPackets == long.MaxValue ? NullPackets : NullPackets + 1;
        if (Mode == EspMode.None)
        {
            Mode = mode;
        }
    }

    private void CountTentative(byte nextHeader)
    {
        TentativePackets = Increment(TentativePackets);
        TentativeNextHeaders = TentativeNextHeaders.Add(nextHeader);
    }

    /// <summary>The probe layout with these lengths, or <see cref="EspLayout.None"/> for lengths the probe never tries
    /// (HMAC-SHA1-160's 20 octets, for instance).</summary>
    private static EspLayout LayoutOf(int icvLength, int ivLength) => (icvLength, ivLength) switch
    {
        (12, 0) => EspLayout.Icv12,
        (16, 0) => EspLayout.Icv16,
        (16, 8) => EspLayout.Gmac,
        (24, 0) => EspLayout.Icv24,
        (32, 0) => EspLayout.Icv32,
        (0, 0) => EspLayout.Icv0,
        _ => EspLayout.None,
    };

    private static int Increment(int value) => value == int.MaxValue ? value : value + 1;

    private static int PublicVerdict(EspSaVerdict verdict) => verdict switch
    {
        EspSaVerdict.Null => 1,
        EspSaVerdict.Encrypted => 2,
        _ => 0,
    };
}
