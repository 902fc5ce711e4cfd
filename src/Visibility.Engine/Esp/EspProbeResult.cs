namespace Visibility.Engine.Esp;

/// <summary>What probing one ESP packet found: a check per candidate layout and the best of them.</summary>
/// <remarks>A full probe evaluates every layout (<see cref="IsFull"/>); the NULL fast path evaluates only the SA's
/// layout and leaves the others at <see cref="EspFit.Fail"/>.</remarks>
internal readonly struct EspProbeResult
{
    private readonly EspLayoutCheckArray _checks;

    private EspProbeResult(in EspLayoutCheckArray checks, bool isFull, EspLayout bestLayout)
    {
        _checks = checks;
        IsFull = isFull;
        BestLayout = bestLayout;
    }

    /// <summary>Every candidate layout was evaluated.</summary>
    public bool IsFull { get; }

    /// <summary>The layout with the best fit (more check bits break ties, then probe order); <see cref="EspLayout.None"/>
    /// when nothing fits.</summary>
    public EspLayout BestLayout { get; }

    public EspLayoutCheck Best => this[BestLayout];

    /// <summary>The check of one layout; a layout that was not evaluated reads as <see cref="EspFit.Fail"/>.</summary>
    public EspLayoutCheck this[EspLayout layout]
    {
        get
        {
            int index = EspLayouts.Index(layout);
            if ((uint)index >= EspLayouts.Count)
            {
                return EspLayoutCheck.Failed(layout);
            }
            EspLayoutCheck check = _checks[index];
            return check.Layout == layout ? check : EspLayoutCheck.Failed(layout);
        }
    }

    /// <summary>From one check per layout in <see cref="EspLayouts.ProbeOrder"/>.</summary>
    public static EspProbeResult Full(in EspLayoutCheckArray checks)
    {
        EspLayout best = EspLayout.None;
        EspFit bestFit = EspFit.Fail;
        int bestBits = -1;
        for (int i = 0; i < EspLayouts.Count; i++)
        {
            EspLayoutCheck check = checks[i];
            if (check.Fit > bestFit || (check.Fit == bestFit && bestFit != EspFit.Fail && check.CheckBits > bestBits))
            {
                best = EspLayouts.FromIndex(i);
                bestFit = check.Fit;
                bestBits = check.CheckBits;
            }
        }
        return new EspProbeResult(checks, isFull: true, best);
    }

    /// <summary>A single evaluated layout (the NULL fast path).</summary>
    public static EspProbeResult Single(in EspLayoutCheck check)
    {
        // Layouts left at default read as failed through the indexer.
        EspLayoutCheckArray checks = default;
        int index = EspLayouts.Index(check.Layout);
        if ((uint)index >= EspLayouts.Count)
        {
            return new EspProbeResult(checks, isFull: false, EspLayout.None);
        }
        checks[index] = check;
        return new EspProbeResult(checks, isFull: false, check.Fit == EspFit.Fail ? EspLayout.None : check.Layout);
    }

    /// <summary>A full result from bare fits (in probe order), each carrying <paramref name="nextHeader"/>: for
    /// describing state transitions without building packets.</summary>
    public static EspProbeResult FromFits(ReadOnlySpan<EspFit> fits, byte nextHeader = 6)
    {
        EspLayoutCheckArray checks = default;
        for (int i = 0; i < EspLayouts.Count; i++)
        {
            EspFit fit = i < fits.Length ? fits[i] : EspFit.Fail;
            int bits = fit switch
            {
                EspFit.Strong => 40,
                EspFit.Plausible => 20,
                _ => 0,
            };
            checks[i] = fit == EspFit.Fail
                ? EspLayoutCheck.Failed(EspLayouts.FromIndex(i))
                : new EspLayoutCheck(EspLayouts.FromIndex(i), fit, fit == EspFit.Dummy ? (byte)59 : nextHeader, 0, true, bits,
                    fit == EspFit.Strong ? 1 : 0, 8, 0);
        }
        return Full(checks);
    }
}
