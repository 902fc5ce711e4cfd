namespace Visibility.Engine.Esp;

/// <summary>What one ESP or WESP packet turned out to be.</summary>
public enum EspPacketKind : byte
{
    /// <summary>The SA is undecided and this packet alone proves nothing; not inspected.</summary>
    Undecided = 0,
    /// <summary>The SA is encrypted (or the WESP header says so); not inspected.</summary>
    Encrypted = 1,
    /// <summary>The SA is ESP-NULL (or WESP E = 0) and the packet fits its layout: the cleartext can be inspected.</summary>
    Cleartext = 2,
    /// <summary>The SA is not (yet) NULL, but this packet alone passed strong checks (a verified checksum or exact length
    /// and at least 32 check bits): its cleartext can be inspected; the SA verdict still needs more packets.</summary>
    ProbeCleartext = 3,
    /// <summary>A dummy packet (Next Header 59, RFC 4303 §2.6) on a NULL SA: to be dropped silently.</summary>
    Dummy = 4,
    /// <summary>The end of the packet was not captured, so its trailer cannot be read.</summary>
    NotWhole = 5,
    /// <summary>The SA is NULL but this packet does not fit its layout, or the WESP header failed its checks.</summary>
    Malformed = 6,
    /// <summary>Shorter than an ESP header (SPI and Sequence Number) or a WESP header.</summary>
    TooSmall = 7,
}
