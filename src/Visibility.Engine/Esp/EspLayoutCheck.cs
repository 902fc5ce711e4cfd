namespace Visibility.Engine.Esp;

/// <summary>The result of reading one ESP packet with one candidate layout: how well it fits, the evidence, and where
/// the cleartext would be.</summary>
internal readonly struct EspLayoutCheck
{
    public EspLayoutCheck(EspLayout layout, EspFit fit, byte nextHeader, byte padLength, bool defaultPadding, int checkBits,
        int verifiedChecks, int cleartextOffset, int cleartextLength)
    {
        Layout = layout;
        Fit = fit;
        NextHeader = nextHeader;
        PadLength = padLength;
        DefaultPadding = defaultPadding;
        CheckBits = (ushort)Math.Clamp(checkBits, 0, ushort.MaxValue);
        VerifiedChecks = (byte)Math.Clamp(verifiedChecks, 0, byte.MaxValue);
        CleartextOffset = cleartextOffset;
        CleartextLength = cleartextLength;
    }

    public EspLayout Layout { get; }

    public EspFit Fit { get; }

    public byte NextHeader { get; }

    public byte PadLength { get; }

    /// <summary>The padding read 1, 2, 3, ... (vacuously true for Pad Length 0).</summary>
    public bool DefaultPadding { get; }

    public ushort CheckBits { get; }

    /// <summary>16-bit fields verified against the data (checksums, exact lengths).</summary>
    public byte VerifiedChecks { get; }

    /// <summary>Offset of the cleartext from the first SPI octet (after SPI, Sequence Number and IV).</summary>
    public int CleartextOffset { get; }

    /// <summary>Cleartext length as the inner length fields state it (TFC padding excluded where they allow).</summary>
    public int CleartextLength { get; }

    /// <summary>Good enough for an SA already known to be NULL at this layout: the trailer and any checkable inner
    /// header are valid, or the packet is a dummy.</summary>
    public bool FitsKnownLayout => Fit >= EspFit.Dummy;

    public EspMode Mode => EspLayoutCheck.ModeOf(NextHeader);

    public static EspLayoutCheck Failed(EspLayout layout) => new(layout, EspFit.Fail, 0, 0, false, 0, 0, 0, 0);

    /// <summary>Tunnel for IPv4 (4) and IPv6 (41), none for a dummy (59), transport otherwise (RFC 4303 §2.6).</summary>
    public static EspMode ModeOf(byte nextHeader) => nextHeader switch
    {
        4 or 41 => EspMode.Tunnel,
        59 => EspMode.None,
        _ => EspMode.Transport,
    };
}
