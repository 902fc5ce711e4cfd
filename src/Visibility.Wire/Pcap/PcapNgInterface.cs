namespace Visibility.Wire.Pcap;

/// <summary>What a pcapng Interface Description Block says about the packets of one interface.</summary>
/// <remarks>draft-ietf-opsawg-pcapng section 4.2. Timestamps are counted in units of <c>if_tsresol</c>
/// (default 10^-6 s) and shifted by <c>if_tsoffset</c> seconds; both are folded into
/// <see cref="ToNanoseconds"/>.</remarks>
internal readonly struct PcapNgInterface
{
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    // Resolutions of 10^-9 s and coarser turn into one multiplication; anything finer or binary takes the
    // 128-bit path (rare in practice, still exact and still allocation-free).
    private readonly ulong _multiplier;
    private readonly UInt128 _unitsPerSecond;
    private readonly long _offsetNanoseconds;

    public PcapNgInterface(LinkType linkType, uint snapLength, byte timestampResolution, long timestampOffsetSeconds)
    {
        LinkType = linkType;
        SnapLength = snapLength;
        int exponent = timestampResolution & 0x7F;
        if ((timestampResolution & 0x80) == 0)
        {
            if (exponent <= 9)
            {
                _multiplier = Pow10(9 - exponent);
            }
            else
            {
                // 10^38 is the largest power of ten a UInt128 holds; finer units make every timestamp 0 ns.
                _unitsPerSecond = exponent <= 38 ? Pow10Wide(exponent) : UInt128.MaxValue;
            }
        }
        else
        {
            _unitsPerSecond = UInt128.One << exponent;
        }
        _offsetNanoseconds = unchecked(timestampOffsetSeconds * (long)NanosecondsPerSecond);
    }

    public LinkType LinkType { get; }

    /// <summary>The IDB's SnapLen field; 0 means no limit.</summary>
    public uint SnapLength { get; }

    /// <summary>Converts a 64-bit pcapng timestamp of this interface to nanoseconds since the Unix epoch.</summary>
    /// <remarks>Sub-nanosecond units are truncated, as Wireshark does. Out-of-range values wrap rather than throw:
    /// a damaged timestamp is data, not an error.</remarks>
    public long ToNanoseconds(ulong timestamp)
    {
        if (_multiplier != 0)
        {
            return unchecked((long)(timestamp * _multiplier) + _offsetNanoseconds);
        }
        UInt128 nanoseconds = (UInt128)timestamp * NanosecondsPerSecond / _unitsPerSecond;
        return unchecked((long)(ulong)nanoseconds + _offsetNanoseconds);
    }

    private static ulong Pow10(int exponent)
    {
        ulong value = 1;
        for (int i = 0; i < exponent; i++)
        {
            value *= 10;
        }
        return value;
    }

    private static UInt128 Pow10Wide(int exponent)
    {
        UInt128 value = UInt128.One;
        for (int i = 0; i < exponent; i++)
        {
            value *= 10;
        }
        return value;
    }
}
