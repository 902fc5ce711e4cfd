using Visibility.Engine.Esp;
using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Engine.Events;

/// <summary>A sink that drops everything: for counting-only runs and allocation tests.</summary>
public sealed class NullEventSink : IEventSink
{
    public static NullEventSink Instance { get; } = new();

    public void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly)
    {
    }

    public void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict)
    {
    }

    public void OnInnerPacket(in PacketContext packet, ReadOnlySpan<byte> ipPacket)
    {
    }

    public void OnAlert(in PacketContext packet, in AlertEvent alert)
    {
    }

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
    }
}
