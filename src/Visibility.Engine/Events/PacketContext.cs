using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Engine.Events;

/// <summary>The packet an event is about: its frame, the decoder's view of it, its time and number, and its flow.</summary>
/// <remarks>Valid only during the sink call: the frame and the metadata are reused for the next packet.</remarks>
public readonly ref struct PacketContext
{
    public PacketContext(ReadOnlySpan<byte> frame, ref readonly PacketMeta meta, long timestampNanoseconds, long frameNumber, FlowState? flow)
    {
        Frame = frame;
        Meta = ref meta;
        TimestampNanoseconds = timestampNanoseconds;
        FrameNumber = frameNumber;
        Flow = flow;
    }

    /// <summary>The bytes <see cref="Meta"/>'s offsets refer to (the frame, or a reassembled datagram).</summary>
    public ReadOnlySpan<byte> Frame { get; }

    public readonly ref readonly PacketMeta Meta;

    public long TimestampNanoseconds { get; }

    /// <summary>1-based record number within the capture file (EVE <c>pcap_cnt</c>); 0 for live capture.</summary>
    public long FrameNumber { get; }

    public FlowState? Flow { get; }
}
