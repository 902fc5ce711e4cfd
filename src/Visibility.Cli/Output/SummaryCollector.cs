using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Engine.Ike;
using Visibility.Wire;

namespace Visibility.Cli.Output;

/// <summary>Collects what the end-of-run summary shows that counters do not: the ESP flows and the flow count.</summary>
internal sealed class SummaryCollector : IEventSink
{
    public List<EspFlowRow> EspFlows { get; } = [];

    public List<IkeSaRow> IkeSas { get; } = [];

    /// <summary>Set by a worker's ordering sink before each event: the place of the rows added next in the run's
    /// canonical order (see <see cref="Merge"/>).</summary>
    internal Capture.OrderKey CurrentKey { get; set; }

    private List<Capture.OrderKey> EspFlowKeys { get; } = [];

    private List<Capture.OrderKey> IkeSaKeys { get; } = [];

    /// <summary>One collector with what the workers' collectors saw: totals summed, rows in the canonical order (as
    /// a single worker would have listed them).</summary>
    public static SummaryCollector Merge(IReadOnlyList<SummaryCollector> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var merged = new SummaryCollector();
        var esp = new List<(Capture.OrderKey Key, EspFlowRow Row)>();
        var ike = new List<(Capture.OrderKey Key, IkeSaRow Row)>();
        foreach (SummaryCollector part in parts)
        {
            merged.FlowRecords += part.FlowRecords;
            merged.IkeMessages += part.IkeMessages;
            merged.IkeV1Messages += part.IkeV1Messages;
            merged.IkeDecrypted += part.IkeDecrypted;
            foreach ((Visibility.Engine.Inspection.Rule rule, long count) in part.AlertCounts)
            {
                merged.AlertCounts[rule] = merged.AlertCounts.GetValueOrDefault(rule) + count;
            }
            for (int i = 0; i < part.EspFlows.Count; i++)
            {
                esp.Add((part.EspFlowKeys[i], part.EspFlows[i]));
            }
            for (int i = 0; i < part.IkeSas.Count; i++)
            {
                ike.Add((part.IkeSaKeys[i], part.IkeSas[i]));
            }
        }
        esp.Sort((a, b) => a.Key.CompareTo(b.Key));
        ike.Sort((a, b) => a.Key.CompareTo(b.Key));
        merged.EspFlows.AddRange(esp.Select(e => e.Row));
        merged.IkeSas.AddRange(ike.Select(e => e.Row));
        return merged;
    }

    public long FlowRecords { get; private set; }

    /// <summary>Alerts per signature.</summary>
    public Dictionary<Visibility.Engine.Inspection.Rule, long> AlertCounts { get; } = [];

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
        ref long count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(AlertCounts, alert.Rule, out _);
        count++;
    }

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
        FlowRecords++;
        if (!flow.Key.IsEsp)
        {
            return;
        }
        EspFlowKeys.Add(CurrentKey);
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
            EspNames.Mode(flow.Esp.Mode),
            flow.IkeSa.InitiatorSpi,
            flow.IkeSa.ResponderSpi,
            flow.IkeSa.IsLinked ? IkeTrackerNames.Link(flow.IkeSa.Kind) : null));
    }

    /// <summary>IKE datagrams, IKEv1 among them, and IKEv2 messages decrypted with --keys.</summary>
    public long IkeMessages { get; private set; }

    public long IkeV1Messages { get; private set; }

    public long IkeDecrypted { get; private set; }

    public void OnIkeMessage(in PacketContext packet, IkeMessageRecord message)
    {
        IkeMessages++;
        if (message.Summary.IsIkeV1)
        {
            IkeV1Messages++;
        }
        if (message.Decryption == IkeDecryption.Decrypted)
        {
            IkeDecrypted++;
        }
    }

    public void OnIkeSaEnd(IkeSa sa)
    {
        string? auth = sa.InitiatorUsedEap ? "EAP" : sa.InitiatorAuthMethod != Wire.Ike.AuthMethod.None ? Wire.Ike.IkeNames.GetName(sa.InitiatorAuthMethod) : null;
        string? id = null;
        Span<char> text = stackalloc char[512];
        if (sa.InitiatorId.IsSet && sa.InitiatorId.TryFormat(text, out int n))
        {
            id = new string(text[..n]);
        }
        string? redirect = null;
        if (sa.RedirectedTo.IsSet && sa.RedirectedTo.TryFormat(text, out n))
        {
            redirect = new string(text[..n]);
        }
        IkeSaKeys.Add(CurrentKey);
        IkeSas.Add(new IkeSaRow(sa.Initiator, sa.Responder, sa.InitiatorSpi, sa.ResponderSpi, IkeTrackerNames.State(sa.State),
            IkeTrackerNames.Outcome(sa.State, sa.End), auth, id, sa.ChildSaCount, sa.Messages, sa.Retransmissions, sa.DecryptedMessages > 0,
            sa.RekeyedFrom, redirect));
    }
}
