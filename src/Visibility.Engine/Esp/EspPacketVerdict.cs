using Visibility.Wire;

namespace Visibility.Engine.Esp;

/// <summary>The classifier's answer for one ESP or WESP packet: whether and where its cleartext can be inspected, and
/// whether the SA's verdict changed on this packet.</summary>
/// <remarks>Offsets are within the span handed to the classifier (from the SPI for ESP, from the first WESP octet for
/// WESP), so the cleartext is <c>span.Slice(CleartextOffset, CleartextLength)</c>; it is valid as long as that span.</remarks>
public readonly struct EspPacketVerdict
{
    internal EspPacketVerdict(EspPacketKind kind, int cleartextOffset, int cleartextLength, byte nextHeader, EspMode mode,
        int icvLength, int ivLength, EspSaVerdict saVerdict, bool verdictChanged, EspVerdictReason reason, DecodeAnomaly anomaly)
    {
        Kind = kind;
        CleartextOffset = cleartextOffset;
        CleartextLength = cleartextLength;
        NextHeader = nextHeader;
        Mode = mode;
        IcvLength = icvLength;
        IvLength = ivLength;
        SaVerdict = saVerdict;
        VerdictChanged = verdictChanged;
        Reason = reason;
        Anomaly = anomaly;
    }

    public EspPacketKind Kind { get; }

    /// <summary>The cleartext can be inspected: <see cref="EspPacketKind.Cleartext"/> or
    /// <see cref="EspPacketKind.ProbeCleartext"/>.</summary>
    public bool IsCleartext => Kind is EspPacketKind.Cleartext or EspPacketKind.ProbeCleartext;

    /// <summary>Offset of the inner packet (tunnel) or upper-layer header (transport); set for cleartext and dummy packets.</summary>
    public int CleartextOffset { get; }

    /// <summary>Length as the inner length fields state it: TFC padding (RFC 4303 §2.7) excluded where they allow.</summary>
    public int CleartextLength { get; }

    /// <summary>The ESP Next Header of this packet (cleartext and dummy packets; 0 otherwise).</summary>
    public byte NextHeader { get; }

    /// <summary>Tunnel for Next Header 4/41, transport for other cleartext, none otherwise.</summary>
    public EspMode Mode { get; }

    /// <summary>The ICV length this packet was read with (cleartext and dummy packets).</summary>
    public int IcvLength { get; }

    /// <summary>The IV length this packet was read with (cleartext and dummy packets).</summary>
    public int IvLength { get; }

    /// <summary>The SA's verdict after this packet.</summary>
    public EspSaVerdict SaVerdict { get; }

    /// <summary>The SA's verdict as EVE reports it (null/encrypted/unknown), or a NULL SA's ICV/IV length, changed on
    /// this packet: emit an EVE <c>esp</c> event with <see cref="Reason"/>.</summary>
    public bool VerdictChanged { get; }

    /// <summary>Why the verdict changed; <see cref="EspVerdictReason.None"/> when it did not.</summary>
    public EspVerdictReason Reason { get; }

    /// <summary>A decode anomaly found in this packet (<c>esp.*</c>, <c>wesp.*</c>), or <see cref="DecodeAnomaly.None"/>.</summary>
    public DecodeAnomaly Anomaly { get; }
}
