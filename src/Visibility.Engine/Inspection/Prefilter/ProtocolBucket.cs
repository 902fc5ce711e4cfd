using System.Collections.Frozen;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>Everything that can match a packet of one <see cref="InspectionProtocol"/>: a group for rules with no
/// indexable port, groups per destination and per source port for rules that name a few ports, and the
/// inspectors that asked for this protocol.</summary>
internal sealed class ProtocolBucket
{
    public ProtocolBucket(SignatureGroup generic, FrozenDictionary<ushort, SignatureGroup> byDestinationPort,
        FrozenDictionary<ushort, SignatureGroup> bySourcePort, int[] inspectors)
    {
        Generic = generic;
        ByDestinationPort = byDestinationPort;
        BySourcePort = bySourcePort;
        Inspectors = inspectors;
    }

    public SignatureGroup Generic { get; }

    public FrozenDictionary<ushort, SignatureGroup> ByDestinationPort { get; }

    public FrozenDictionary<ushort, SignatureGroup> BySourcePort { get; }

    /// <summary>Indices into the rule set's inspector list.</summary>
    public int[] Inspectors { get; }
}
