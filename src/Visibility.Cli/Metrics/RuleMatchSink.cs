using System.Runtime.InteropServices;
using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Engine.Inspection;
using Visibility.Wire;

namespace Visibility.Cli.Metrics;

/// <summary>Counts, for one pipeline, the alerts per rule for <c>visibility_rule_matches_total{sid,action}</c>: one per
/// EVE <c>alert</c> record.</summary>
/// <remarks>The processing thread bumps a plain field in the rule's entry; a rule's first match adds an entry and
/// republishes the (copied) entry array, so the scrape thread reads a stable array without a lock.</remarks>
internal sealed class RuleMatchSink : IEventSink
{
    private readonly Dictionary<Rule, Entry> _byRule = new(ReferenceEqualityComparer.Instance);
    private Entry[] _published = [];

    /// <summary>Scrape thread: the rules that matched so far, each with its running total.</summary>
    public IReadOnlyList<Entry> Entries => Volatile.Read(ref _published);

    public void OnAlert(in PacketContext packet, in AlertEvent alert)
    {
        ref Entry? entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_byRule, alert.Rule, out bool exists);
        if (!exists)
        {
            entry = new Entry(alert.Rule.Sid, alert.Rule.Action == RuleAction.Drop ? "drop" : "alert");
            Entry[] next = new Entry[_published.Length + 1];
            _published.CopyTo(next, 0);
            next[^1] = entry;
            Volatile.Write(ref _published, next);
        }
        entry!.Count++;
    }

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
    }

    /// <summary>One rule's matches.</summary>
    internal sealed class Entry(uint sid, string action)
    {
        public uint Sid { get; } = sid;

        /// <summary>The rule's action keyword: <c>alert</c> or <c>drop</c>.</summary>
        public string Action { get; } = action;

        public long Count;
    }
}
