using Visibility.Engine.Esp;

namespace Visibility.Engine.Tests.Esp;

/// <summary>The state machine as a table: each row feeds probe results to <see cref="EspSaState.Advance"/>, starting
/// from <c>default</c>, and checks the state reached.</summary>
/// <remarks>A packet is written as six letters, one per layout in probe order (ICV 12, 16, GMAC, 24, 32, 0):
/// F fail, D dummy, W weak, T structural, P plausible, S strong. Packets are separated by spaces; <c>xN</c> repeats the
/// previous packet N times in all.</remarks>
public sealed class EspSaStateTests
{
    private static EspFit Fit(char letter) => letter switch
    {
        'F' => EspFit.Fail,
        'D' => EspFit.Dummy,
        'W' => EspFit.Weak,
        'T' => EspFit.Structural,
        'P' => EspFit.Plausible,
        'S' => EspFit.Strong,
        _ => throw new ArgumentException($"unknown fit letter {letter}", nameof(letter)),
    };

    private static List<string> Expand(string sequence)
    {
        var packets = new List<string>();
        foreach (string token in sequence.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token[0] == 'x')
            {
                int times = int.Parse(token[1..], System.Globalization.CultureInfo.InvariantCulture);
                string last = packets[^1];
                for (int i = 1; i < times; i++)
                {
                    packets.Add(last);
                }
                continue;
            }
            packets.Add(token);
        }
        return packets;
    }

    private static EspProbeResult Probe(string packet, byte nextHeader = 6)
    {
        Assert.Equal(EspLayouts.Count, packet.Length);
        return EspProbeResult.FromFits([.. packet.Select(Fit)], nextHeader);
    }

    private static EspSaState Run(string sequence, byte nextHeader = 6, EspSaState start = default)
    {
        EspSaState state = start;
        long frame = 0;
        foreach (string packet in Expand(sequence))
        {
            state = EspSaState.Advance(state, Probe(packet, nextHeader), ++frame, EspClassifierOptions.Default);
        }
        return state;
    }

    [Theory]
    // One packet never decides, however strong.
    [InlineData("SFFFFF", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    [InlineData("SSSSSS", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    // Two strong packets at one layout: NULL at that layout, on the second packet.
    [InlineData("SFFFFF SFFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 2)]
    [InlineData("FSFFFF FSFFFF", EspSaVerdict.Null, EspLayout.Icv16, EspVerdictReason.NullConfirmed, 2)]
    [InlineData("FFSFFF FFSFFF", EspSaVerdict.Null, EspLayout.Gmac, EspVerdictReason.NullConfirmed, 2)]
    [InlineData("FFFSFF FFFSFF", EspSaVerdict.Null, EspLayout.Icv24, EspVerdictReason.NullConfirmed, 2)]
    [InlineData("FFFFSF FFFFSF", EspSaVerdict.Null, EspLayout.Icv32, EspVerdictReason.NullConfirmed, 2)]
    [InlineData("FFFFFS FFFFFS", EspSaVerdict.Null, EspLayout.Icv0, EspVerdictReason.NullConfirmed, 2)]
    // Ties go to the shortest ICV (probe order).
    [InlineData("SSFFFF SSFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 2)]
    // Strong at two different layouts is not consistent.
    [InlineData("SFFFFF FSFFFF", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    // Plausible packets count half.
    [InlineData("PFFFFF x3", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    [InlineData("PFFFFF x4", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 4)]
    [InlineData("SFFFFF PFFFFF PFFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 3)]
    // A failing packet resets the layout's score.
    [InlineData("SFFFFF FFFFFF SFFFFF", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    [InlineData("SFFFFF FFFFFF SFFFFF SFFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 4)]
    [InlineData("FFFFFF SFFFFF SFFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 3)]
    // Neutral packets (dummy, weak, structural) neither confirm nor reset.
    [InlineData("SFFFFF DFFFFF SFFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 3)]
    [InlineData("SFFFFF WFFFFF TFFFFF SFFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 4)]
    [InlineData("DDDDDD x20", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    [InlineData("WFFFFF x20", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    [InlineData("TTTTTT x20", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    // Packets that fit nowhere: encrypted after two.
    [InlineData("FFFFFF", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    [InlineData("FFFFFF FFFFFF", EspSaVerdict.Encrypted, EspLayout.None, EspVerdictReason.EncryptedNoFit, 2)]
    [InlineData("FFFFFF WFFFFF DFFFFF FFFFFF", EspSaVerdict.Encrypted, EspLayout.None, EspVerdictReason.EncryptedNoFit, 4)]
    // A decoy (one strong packet in an encrypted SA) raises the bar by two misfits, and never makes it NULL.
    [InlineData("SFFFFF FFFFFF FFFFFF FFFFFF", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    [InlineData("SFFFFF FFFFFF FFFFFF FFFFFF FFFFFF", EspSaVerdict.Encrypted, EspLayout.None, EspVerdictReason.EncryptedNoFit, 5)]
    [InlineData("FFFFFF FFFFFS FFFFFF FFFFFF FFFFFF", EspSaVerdict.Encrypted, EspLayout.None, EspVerdictReason.EncryptedNoFit, 5)]
    // Undecided after the probe limit: unsure, and it can still decide later.
    [InlineData("WFFFFF x31", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.None, 0)]
    [InlineData("WFFFFF x32", EspSaVerdict.Unsure, EspLayout.None, EspVerdictReason.ProbeLimit, 0)]
    [InlineData("WFFFFF x32 FSFFFF FSFFFF", EspSaVerdict.Null, EspLayout.Icv16, EspVerdictReason.NullConfirmed, 34)]
    [InlineData("WFFFFF x32 FFFFFF FFFFFF", EspSaVerdict.Encrypted, EspLayout.None, EspVerdictReason.EncryptedNoFit, 34)]
    // NULL: single misfits are tolerated, two in a row send the SA back to probing.
    [InlineData("SFFFFF SFFFFF FFFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 2)]
    [InlineData("SFFFFF SFFFFF FFFFFF SFFFFF FFFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 2)]
    [InlineData("SFFFFF SFFFFF FFFFFF FFFFFF", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.NullStoppedFitting, 0)]
    [InlineData("SFFFFF SFFFFF FFFFFF FFFFFF FFFFFF", EspSaVerdict.Encrypted, EspLayout.None, EspVerdictReason.EncryptedNoFit, 5)]
    [InlineData("SFFFFF SFFFFF FSFFFF FFFFFF", EspSaVerdict.Probing, EspLayout.None, EspVerdictReason.NullStoppedFitting, 0)]
    [InlineData("SFFFFF SFFFFF FFFFFF FSFFFF FSFFFF", EspSaVerdict.Null, EspLayout.Icv16, EspVerdictReason.NullConfirmed, 5)]
    [InlineData("SFFFFF SFFFFF FFFFFF FFFFFF FSFFFF FSFFFF", EspSaVerdict.Null, EspLayout.Icv16, EspVerdictReason.NullConfirmed, 6)]
    // Any fit at the layout keeps a NULL SA, even a weak or dummy one.
    [InlineData("SFFFFF SFFFFF FFFFFF DFFFFF FFFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullConfirmed, 2)]
    // Encrypted: a re-check that finds a layout follows it to a decision.
    [InlineData("FFFFFF FFFFFF SFFFFF", EspSaVerdict.Encrypted, EspLayout.None, EspVerdictReason.EncryptedNoFit, 2)]
    [InlineData("FFFFFF FFFFFF SFFFFF SFFFFF", EspSaVerdict.Null, EspLayout.Icv12, EspVerdictReason.NullAfterRecheck, 4)]
    [InlineData("FFFFFF FFFFFF SFFFFF FFFFFF SFFFFF", EspSaVerdict.Encrypted, EspLayout.None, EspVerdictReason.EncryptedNoFit, 2)]
    [InlineData("FFFFFF FFFFFF FFFFFF x10", EspSaVerdict.Encrypted, EspLayout.None, EspVerdictReason.EncryptedNoFit, 2)]
    [Trait("rfc", "5879-4")]
    public void Advance_Sequence_ReachesState(string sequence, EspSaVerdict verdict, EspLayout layout, EspVerdictReason reason, long decidedAt)
    {
        EspSaState state = Run(sequence);

        Assert.Equal(verdict, state.Verdict);
        Assert.Equal(layout, state.Layout);
        Assert.Equal(reason, state.Reason);
        Assert.Equal(decidedAt, state.DecidedAtFrame);
        Assert.Equal(EspLayouts.IcvLength(layout), state.IcvLength);
        Assert.Equal(EspLayouts.IvLength(layout), state.IvLength);
    }

    [Fact]
    public void Advance_DoesNotChangeItsInput()
    {
        EspSaState start = Run("SFFFFF");
        EspSaState copy = start;

        _ = EspSaState.Advance(start, Probe("SFFFFF"), 2, EspClassifierOptions.Default);

        Assert.Equal(copy.Verdict, start.Verdict);
        Assert.Equal(copy.LayoutScore(EspLayout.Icv12), start.LayoutScore(EspLayout.Icv12));
        Assert.Equal(copy.ProbedPackets, start.ProbedPackets);
    }

    [Theory]
    [InlineData("SFFFFF", EspLayout.Icv12, 2)]
    [InlineData("PFFFFF PFFFFF", EspLayout.Icv12, 2)]
    [InlineData("SFFFFF FFFFFF", EspLayout.Icv12, 0)]
    [InlineData("SFFFFF WFFFFF", EspLayout.Icv12, 2)]
    [InlineData("FFFFFS FFFFFS FFFFFS", EspLayout.Icv0, 0)] // decided: scores cleared
    [InlineData("PFFFFF x20", EspLayout.Icv12, 0)]
    public void Advance_LayoutScore_IsBounded(string sequence, EspLayout layout, int score)
    {
        Assert.Equal(score, Run(sequence).LayoutScore(layout));
    }

    [Fact]
    public void Advance_StrongPacketsBeforeNull_CountedWhenDecided()
    {
        EspSaState state = Run("SFFFFF WFFFFF SFFFFF SFFFFF", nextHeader: 4);

        Assert.Equal(EspSaVerdict.Null, state.Verdict);
        Assert.Equal(3, state.NullPackets);
        Assert.Equal(EspMode.Tunnel, state.Mode);
        Assert.True(state.NextHeaders.Contains(4));
        Assert.Equal(1, state.NextHeaders.Count);
        Assert.Equal(0, state.TentativePackets);
    }

    [Fact]
    public void Advance_DecoyInEncryptedSa_LeavesCountersEmpty()
    {
        EspSaState state = Run("SFFFFF FFFFFF FFFFFF FFFFFF FFFFFF");

        Assert.Equal(EspSaVerdict.Encrypted, state.Verdict);
        Assert.Equal(0, state.NullPackets);
        Assert.True(state.NextHeaders.IsEmpty);
        Assert.Equal(EspMode.None, state.Mode);
    }

    [Fact]
    [Trait("rfc", "4303-2.6")]
    public void Advance_DummyOnNullSa_RecordsNextHeaderButNoCleartext()
    {
        EspSaState state = Run("SFFFFF SFFFFF DFFFFF DFFFFF");

        Assert.Equal(EspSaVerdict.Null, state.Verdict);
        Assert.Equal(2, state.NullPackets);
        Assert.True(state.NextHeaders.Contains(59));
        Assert.True(state.NextHeaders.Contains(6));
        Assert.Equal(3, state.Confirmations); // the deciding packet and the two dummies
    }

    [Fact]
    public void Advance_NullSaMisfit_CountsViolationsThenResets()
    {
        EspSaState once = Run("SFFFFF SFFFFF FFFFFF");
        EspSaState twice = Run("SFFFFF SFFFFF FFFFFF FFFFFF");

        Assert.Equal(1, once.Violations);
        Assert.Equal(EspSaVerdict.Probing, twice.Verdict);
        // The second misfit was probed again as the first packet of the new round.
        Assert.Equal(1, twice.ProbedPackets);
        Assert.Equal(1, twice.Violations);
        Assert.Equal(2, twice.NullPackets);
    }

    [Fact]
    public void Advance_RecheckPending_SetAndClearedByScores()
    {
        Assert.True(Run("FFFFFF FFFFFF PFFFFF").RecheckPending);
        Assert.False(Run("FFFFFF FFFFFF PFFFFF FFFFFF").RecheckPending);
        Assert.False(Run("FFFFFF FFFFFF WFFFFF").RecheckPending);
    }

    [Theory]
    [InlineData(EspSaVerdict.Unknown, EspSaVerdict.Probing, false)]
    [InlineData(EspSaVerdict.Probing, EspSaVerdict.Unsure, false)]
    [InlineData(EspSaVerdict.Probing, EspSaVerdict.Null, true)]
    [InlineData(EspSaVerdict.Probing, EspSaVerdict.Encrypted, true)]
    [InlineData(EspSaVerdict.Null, EspSaVerdict.Probing, true)]
    [InlineData(EspSaVerdict.Encrypted, EspSaVerdict.Null, true)]
    public void VerdictDiffers_ByEveVerdict(EspSaVerdict from, EspSaVerdict to, bool differs)
    {
        EspSaState before = StateWith(from);
        EspSaState after = StateWith(to);

        Assert.Equal(differs, EspSaState.VerdictDiffers(before, after));
    }

    private static EspSaState StateWith(EspSaVerdict verdict) => verdict switch
    {
        EspSaVerdict.Unknown => default,
        EspSaVerdict.Probing => Run("WFFFFF"),
        EspSaVerdict.Unsure => Run("WFFFFF x32"),
        EspSaVerdict.Null => Run("SFFFFF SFFFFF"),
        _ => Run("FFFFFF FFFFFF"),
    };

    [Theory]
    [InlineData(false, 12, 0, EspSaVerdict.Null, EspVerdictReason.WespIntegrityOnly)]
    [InlineData(false, 16, 8, EspSaVerdict.Null, EspVerdictReason.WespIntegrityOnly)]
    [InlineData(true, 0, 0, EspSaVerdict.Encrypted, EspVerdictReason.WespEncrypted)]
    [Trait("rfc", "5840-2")]
    public void AdvanceWesp_FirstPacket_HeaderDecides(bool encrypted, int icv, int iv, EspSaVerdict verdict, EspVerdictReason reason)
    {
        EspSaState state = EspSaState.AdvanceWesp(default, encrypted, icv, iv, encrypted ? -1 : 17, 7);

        Assert.Equal(verdict, state.Verdict);
        Assert.Equal(reason, state.Reason);
        Assert.Equal(7, state.DecidedAtFrame);
        Assert.Equal(icv, state.IcvLength);
        Assert.Equal(iv, state.IvLength);
        Assert.Equal(encrypted ? 0 : 1, state.NullPackets);
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void AdvanceWesp_ChangedTrailerLen_ReportsLayoutChange()
    {
        EspSaState first = EspSaState.AdvanceWesp(default, false, 12, 0, 6, 1);
        EspSaState same = EspSaState.AdvanceWesp(first, false, 12, 0, 6, 2);
        EspSaState changed = EspSaState.AdvanceWesp(same, false, 16, 0, 6, 3);
        EspSaState flipped = EspSaState.AdvanceWesp(changed, true, 0, 0, -1, 4);

        Assert.False(EspSaState.VerdictDiffers(first, same));
        Assert.True(EspSaState.VerdictDiffers(same, changed));
        Assert.Equal(EspVerdictReason.WespLayoutChanged, changed.Reason);
        Assert.Equal(3, changed.DecidedAtFrame);
        Assert.Equal(EspSaVerdict.Encrypted, flipped.Verdict);
        Assert.Equal(EspVerdictReason.WespEncrypted, flipped.Reason);
        Assert.Equal(3, changed.NullPackets);
    }
}
