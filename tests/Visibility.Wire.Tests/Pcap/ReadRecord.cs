using Visibility.Wire.Pcap;

namespace Visibility.Wire.Tests.Pcap;

/// <summary>A copy of one <see cref="CaptureRecord"/>, kept after the reader moved on.</summary>
internal sealed record ReadRecord(long FrameNumber, long TimestampNanoseconds, int OriginalLength, int InterfaceId, LinkType LinkType, byte[] Data)
{
    public static ReadRecord From(in CaptureRecord record) =>
        new(record.FrameNumber, record.TimestampNanoseconds, record.OriginalLength, record.InterfaceId, record.LinkType, record.Data.ToArray());

    public bool Equals(ReadRecord? other) =>
        other is not null && FrameNumber == other.FrameNumber && TimestampNanoseconds == other.TimestampNanoseconds
        && OriginalLength == other.OriginalLength && InterfaceId == other.InterfaceId && LinkType == other.LinkType
        && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(FrameNumber, TimestampNanoseconds, OriginalLength, Data.Length);
}
