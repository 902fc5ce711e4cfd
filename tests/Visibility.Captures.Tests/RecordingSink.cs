using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Captures.Tests;

/// <summary>An event sink that records the alerts (frame, signature) and counts the cleartext packets handed out.</summary>
internal sealed class RecordingSink : IEventSink
{
    public List<(long Frame, uint Sid)> Alerts { get; } = [];

    public int InnerPackets { get; private set; }

    public void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly)
    {
    }

    public void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict)
    {
    }

    public void OnInnerPacket(in PacketContext packet, ReadOnlySpan<byte> ipPacket) => InnerPackets++;

    public void OnAlert(in PacketContext packet, in AlertEvent alert) => Alerts.Add((packet.FrameNumber, alert.Rule.Sid));

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
    }
}
