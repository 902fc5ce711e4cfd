using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Cli.Output;

/// <summary>Collects what the end-of-run summary shows that counters do not: the ESP flows and the flow count.</summary>
internal sealed class SummaryCollector : IEventSink
{
    public List<EspFlowRow> EspFlows { get; } = [];

    public long FlowRecords { get; private set; }

    public void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly)
    {
    }

    public void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict)
    {
    }

    public void OnInnerPacket(in PacketContext packet, ReadOnlySpan<byte> ipPacket)
    {
    }

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
        FlowRecords++;
        if (!flow.Key.IsEsp)
        {
            return;
        }
        EspFlows.Add(new EspFlowRow(
            flow.Client,
            flow.Server,
            flow.Spi,
            flow.Encapsulation,
            flow.ClientPort,
            flow.ServerPort,
            flow.PacketsToServer + flow.PacketsToClient,
            flow.BytesToServer + flow.BytesToClient,
            EspNames.Verdict(flow.Esp.Verdict),
            flow.Esp.Verdict == EspSaVerdict.Null ? flow.Esp.IcvLength : null,
            EspNames.Mode(flow.Esp.Mode)));
    }
}
