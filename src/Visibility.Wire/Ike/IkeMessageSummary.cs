namespace Visibility.Wire.Ike;

/// <summary>Per-message summary of an IKE message for the sensor: the header fields and an
/// <see cref="IkePayloadSummary"/> of the clear payload chain, read in one pass without allocating.</summary>
/// <remarks>
/// Input is the UDP payload from the first IKE header octet (after the non-ESP marker on port 4500). Checks, in order:
/// fewer than 28 octets → <see cref="DecodeAnomaly.IkePacketTooSmall"/> and <see cref="TryRead"/> returns false;
/// major version 1 → IKEv1, recognised (<see cref="IsIkeV1"/>) and not parsed further, no anomaly; a major version
/// other than 1 or 2 → <see cref="DecodeAnomaly.IkeUnsupportedVersion"/>; Length below 28 →
/// <see cref="DecodeAnomaly.IkeBadLength"/> and no payload walk; Length different from the datagram →
/// <see cref="DecodeAnomaly.IkeBadLength"/> and the chain is walked over the declared length clamped to the datagram.
/// A datagram cut by the capture snap length therefore reports IkeBadLength; callers that know the frame was cut
/// may discount it. <see cref="Anomaly"/> is the first problem, header or payloads.
/// </remarks>
public struct IkeMessageSummary
{
    /// <summary>The clear payload chain; offsets are from the first IKE header octet.</summary>
    public IkePayloadSummary Payloads;

    public ulong InitiatorSpi { readonly get; private set; }

    public ulong ResponderSpi { readonly get; private set; }

    /// <summary>The version octet (IKEv2: 0x20).</summary>
    public byte Version { readonly get; private set; }

    public IkeExchangeType ExchangeType { readonly get; private set; }

    public IkeFlags Flags { readonly get; private set; }

    public uint MessageId { readonly get; private set; }

    /// <summary>The header's Length field.</summary>
    public uint Length { readonly get; private set; }

    /// <summary>The header's Next Payload: type of the first payload.</summary>
    public IkePayloadType FirstPayload { readonly get; private set; }

    /// <summary>Octets of the message that were walked: Length clamped to the datagram.</summary>
    public int MessageLength { readonly get; private set; }

    /// <summary>The first problem found in the header or the payloads.</summary>
    public DecodeAnomaly Anomaly { readonly get; private set; }

    public readonly int MajorVersion => Version >> 4;

    public readonly int MinorVersion => Version & 0x0F;

    public readonly bool IsIkeV1 => MajorVersion == 1;

    public readonly bool IsIkeV2 => MajorVersion == 2;

    /// <summary>I flag: sent by the original initiator.</summary>
    public readonly bool IsInitiator => (Flags & IkeFlags.Initiator) != 0;

    /// <summary>R flag: a response.</summary>
    public readonly bool IsResponse => (Flags & IkeFlags.Response) != 0;

    /// <summary>Reads the header and walks the clear payloads (IKEv2 only). False only when the datagram is too short
    /// for an IKE header; every other problem is reported in <see cref="Anomaly"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out IkeMessageSummary summary)
    {
        summary = default;
        if (!IkeHeader.TryRead(datagram, out IkeHeader header))
        {
            summary.Anomaly = DecodeAnomaly.IkePacketTooSmall;
            return false;
        }
        summary.InitiatorSpi = header.InitiatorSpi;
        summary.ResponderSpi = header.ResponderSpi;
        summary.Version = header.Version;
        summary.ExchangeType = header.ExchangeType;
        summary.Flags = header.Flags;
        summary.MessageId = header.MessageId;
        summary.Length = header.Length;
        summary.FirstPayload = header.NextPayload;
        ReadOnlySpan<byte> message = header.Message;
        summary.MessageLength = message.Length;
        if (header.IsIkeV1)
        {
            return true;
        }
        if (!header.IsIkeV2)
        {
            summary.Anomaly = DecodeAnomaly.IkeUnsupportedVersion;
            return true;
        }
        if (header.Length < IkeHeader.Size)
        {
            summary.Anomaly = DecodeAnomaly.IkeBadLength;
            return true;
        }
        if (!header.IsLengthValid)
        {
            summary.Anomaly = DecodeAnomaly.IkeBadLength;
        }
        summary.Payloads.ReadInto(message, IkeHeader.Size, header.NextPayload);
        if (summary.Anomaly == DecodeAnomaly.None)
        {
            summary.Anomaly = summary.Payloads.Anomaly;
        }
        return true;
    }
}
