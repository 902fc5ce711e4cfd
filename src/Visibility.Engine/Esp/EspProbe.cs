using Visibility.Wire.Esp;

namespace Visibility.Engine.Esp;

/// <summary>Reads one whole ESP packet with each candidate layout (RFC 5879 §8): trailer checks, then checks of the
/// header its Next Header announces. Pure functions; no allocation.</summary>
internal static class EspProbe
{
    /// <summary>Padding octets credited as evidence: each default-padding octet is one fixed value (8 bits), capped so
    /// that padding alone never reaches the strong threshold.</summary>
    private const int MaxPaddingOctetsCounted = 3;

    /// <summary>Bits for a packet to be <see cref="EspFit.Plausible"/>.</summary>
    public const int PlausibleBits = 16;

    /// <summary>Bits for a packet to be <see cref="EspFit.Strong"/> (with at least one verified field).</summary>
    public const int StrongBits = 32;

    /// <summary>Evaluates every candidate layout of <paramref name="esp"/> (SPI through the end of the ICV).</summary>
    public static EspProbeResult Probe(ReadOnlySpan<byte> esp, in PseudoHeader outer)
    {
        EspLayoutCheckArray checks = default;
        ReadOnlySpan<EspLayout> order = EspLayouts.ProbeOrder;
        for (int i = 0; i < order.Length; i++)
        {
            EspLayout layout = order[i];
            checks[i] = CheckLayout(esp, layout, EspLayouts.IcvLength(layout), EspLayouts.IvLength(layout), outer, verifyChecksums: true);
        }
        return EspProbeResult.Full(checks);
    }

    /// <summary>Reads <paramref name="esp"/> with one ICV/IV length pair.</summary>
    /// <param name="esp">SPI through the end of the ICV.</param>
    /// <param name="layout">The layout to report the check under (<see cref="EspLayout.None"/> for other lengths).</param>
    /// <param name="icvLength">ICV length to read with.</param>
    /// <param name="ivLength">IV length to read with.</param>
    /// <param name="outer">Outer addresses for transport-mode checksums.</param>
    /// <param name="verifyChecksums">False on the NULL fast path: validity and structure only, no checksums.</param>
    public static EspLayoutCheck CheckLayout(ReadOnlySpan<byte> esp, EspLayout layout, int icvLength, int ivLength, in PseudoHeader outer,
        bool verifyChecksums)
    {
        // RFC 5879 §8.2: each try must stay inside the packet; EspTrailer checks every position it reads.
        if (!EspTrailer.TryRead(esp, icvLength, ivLength, out EspTrailer trailer))
        {
            return EspLayoutCheck.Failed(layout);
        }
        bool defaultPadding = trailer.HasDefaultPadding;
        byte nextHeader = trailer.NextHeader;
        EspCheckTally tally = default;
        if (defaultPadding)
        {
            tally.Add(8 * Math.Min((int)trailer.PadLength, MaxPaddingOctetsCounted));
        }
        if (trailer.IsDummy)
        {
            // RFC 4303 §2.6: the payload of a dummy packet may be random; only the trailer says anything.
            return new EspLayoutCheck(layout, EspFit.Dummy, nextHeader, trailer.PadLength, defaultPadding, tally.Bits, 0,
                trailer.PayloadOffset, trailer.PayloadLength);
        }
        EspInnerStatus status = EspInnerChecks.Check(nextHeader, trailer.Payload, outer, verifyChecksums, ref tally, out int innerLength);
        EspFit fit = status switch
        {
            // RFC 5879 §8.2: an unknown Next Header is "unsure", never a failure; but without default padding the
            // trailer itself proved nothing either.
            EspInnerStatus.Unchecked => defaultPadding ? EspFit.Weak : EspFit.Fail,
            EspInnerStatus.Invalid => EspFit.Fail,
            _ when tally.Bits >= StrongBits && tally.Verified > 0 => EspFit.Strong,
            _ when tally.Bits >= PlausibleBits => EspFit.Plausible,
            _ => EspFit.Structural,
        };
        if (fit == EspFit.Fail)
        {
            return EspLayoutCheck.Failed(layout);
        }
        return new EspLayoutCheck(layout, fit, nextHeader, trailer.PadLength, defaultPadding, tally.Bits, tally.Verified,
            trailer.PayloadOffset, innerLength);
    }
}
