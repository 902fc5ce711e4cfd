using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Wire;
using Visibility.Wire.Pcap;

namespace Visibility.Cli.Output;

/// <summary>Writes every decapsulated cleartext packet to a raw-IP pcap (link type 101), in order, with the original
/// timestamp (<c>--write-inner</c>), so any IDS or dissector can inspect ESP-NULL traffic as if it were plain.</summary>
internal sealed class InnerPacketWriter : IEventSink, IDisposable
{
    private readonly PcapFileWriter _writer;

    public InnerPacketWriter(Stream stream) => _writer = new PcapFileWriter(stream, LinkType.Raw);

    public long Packets => _writer.PacketsWritten;

    /// <summary>Hand every record to the stream at once (a worker's writer, whose bytes are merged per event).</summary>
    public bool FlushEachPacket { get; init; }

    public void OnInnerPacket(in PacketContext packet, ReadOnlySpan<byte> ipPacket)
    {
        _writer.WritePacket(ipPacket, packet.TimestampNanoseconds, ipPacket.Length);
        if (FlushEachPacket)
        {
            _writer.Flush();
        }
    }

    /// <summary>Writes what is buffered (the file header at first) to the stream.</summary>
    public void Flush() => _writer.Flush();

    public void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly)
    {
    }

    public void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict)
    {
    }

    public void OnAlert(in PacketContext packet, in AlertEvent alert)
    {
    }

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
    }

    public void Dispose() => _writer.Dispose();
}
