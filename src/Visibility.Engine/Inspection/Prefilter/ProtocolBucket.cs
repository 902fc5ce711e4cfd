using System.Collections.Frozen;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>Everything that can match a packet of one <see cref="InspectionProtocol"/>: a group for rules with no
/// indexable port, groups per destination and per source port for rules that name a few ports, and the
/// inspectors that asked for this protocol.</summary>
internal sealed class ProtocolBucket
{
    public ProtocolBucket(SignatureGroup generic, SignatureGroup anomalyOnly, FrozenDictionary<ushort, SignatureGroup> byDestinationPort,
        FrozenDictionary<ushort, SignatureGroup> bySourcePort, int[] inspectors)
    {
        Generic = generic;
        AnomalyOnly = anomalyOnly;
        ByDestinationPort = byDestinationPort;
        BySourcePort = bySourcePort;
        Inspectors = inspectors;
    }

    public SignatureGroup Generic { get; }

    /// <summary>Rules with <c>decode-event</c>: they can match only a packet that raised an anomaly, so the other
    /// packets never meet them (one per anomaly ships in engine-events.rules).</summary>
    public SignatureGroup AnomalyOnly { get; }

    public FrozenDictionary<ushort, SignatureGroup> ByDestinationPort { get; }

    public FrozenDictionary<ushort, SignatureGroup> BySourcePort { get; }

    /// <summary>Indices into the rule set's inspector list.</summary>
    public int[] Inspectors { get; }
}
