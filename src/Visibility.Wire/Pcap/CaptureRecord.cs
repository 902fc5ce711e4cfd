namespace Visibility.Wire.Pcap;

/// <summary>One packet record of a capture file.</summary>
/// <remarks><see cref="Data"/> points into the reader's reused buffer: it is valid only until the next call to
/// <see cref="CaptureFileReader.TryReadNext"/> (the same rule as gopacket's ZeroCopyReadPacketData).</remarks>
public readonly ref struct CaptureRecord
{
    public CaptureRecord(ReadOnlySpan<byte> data, int originalLength, long timestampNanoseconds, LinkType linkType, int interfaceId, long frameNumber)
    {
        Data = data;
        OriginalLength = originalLength;
        TimestampNanoseconds = timestampNanoseconds;
        LinkType = linkType;
        InterfaceId = interfaceId;
        FrameNumber = frameNumber;
    }

    /// <summary>The captured bytes.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The packet's length on the wire.</summary>
    public int OriginalLength { get; }

    /// <summary>Nanoseconds since the Unix epoch (UTC).</summary>
    public long TimestampNanoseconds { get; }

    public LinkType LinkType { get; }

    /// <summary>pcapng interface index; 0 for classic pcap.</summary>
    public int InterfaceId { get; }

    /// <summary>1-based number of this packet record within its file (EVE <c>pcap_cnt</c>).</summary>
    public long FrameNumber { get; }

    /// <summary>True when the snap length cut the packet: fewer bytes were captured than were on the wire, so
    /// anything at the end of the packet (an ESP trailer, an ICV) is missing.</summary>
    public bool IsTruncated => Data.Length < OriginalLength;
}
