using System.Runtime.CompilerServices;
using System.Collections.Frozen;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>Everything that can match a packet of one <see cref="InspectionProtocol"/>: a group for rules with no
/// indexable port, groups per destination and per source port for rules that name a few ports, and the
/// inspectors that asked for this protocol.</summary>
/// <remarks>Which ports have a group is also kept as a bit per port (8 KB per side), so a packet on a port no rule
/// names costs one bit test, and <see cref="MayMatch"/> can tell before any per-packet work that nothing here can
/// match.</remarks>
internal sealed class ProtocolBucket
{
    private readonly ulong[] _destinationPorts;
    private readonly ulong[] _sourcePorts;
    private readonly bool _unconditional;

    public ProtocolBucket(SignatureGroup generic, SignatureGroup anomalyOnly, FrozenDictionary<ushort, SignatureGroup> byDestinationPort,
        FrozenDictionary<ushort, SignatureGroup> bySourcePort, int[] inspectors)
    {
        Generic = generic;
        AnomalyOnly = anomalyOnly;
        ByDestinationPort = byDestinationPort;
        BySourcePort = bySourcePort;
        Inspectors = inspectors;
        _destinationPorts = PortBits(byDestinationPort);
        _sourcePorts = PortBits(bySourcePort);
        _unconditional = !generic.IsEmpty || inspectors.Length > 0;
    }

    public SignatureGroup Generic { get; }

    /// <summary>Rules with <c>decode-event</c>: they can match only a packet that raised an anomaly, so the other
    /// packets never meet them (one per anomaly ships in engine-events.rules).</summary>
    public SignatureGroup AnomalyOnly { get; }

    public FrozenDictionary<ushort, SignatureGroup> ByDestinationPort { get; }

    public FrozenDictionary<ushort, SignatureGroup> BySourcePort { get; }

    /// <summary>Indices into the rule set's inspector list.</summary>
    public int[] Inspectors { get; }

    /// <summary>False when no rule and no inspector of this bucket can see a packet with these properties, so the
    /// packet needs no inspection at all. <paramref name="hasPorts"/> is <see cref="InspectionContext.HasPorts"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayMatch(bool hasPorts, ushort sourcePort, ushort destinationPort, bool anomaly) =>
        _unconditional
        || (anomaly && !AnomalyOnly.IsEmpty)
        || (hasPorts && (HasDestinationPort(destinationPort) || HasSourcePort(sourcePort)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool HasDestinationPort(ushort port) => (_destinationPorts[port >> 6] & (1UL << port)) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool HasSourcePort(ushort port) => (_sourcePorts[port >> 6] & (1UL << port)) != 0;

    private static ulong[] PortBits(FrozenDictionary<ushort, SignatureGroup> groups)
    {
        var bits = new ulong[65536 / 64];
        foreach (ushort port in groups.Keys)
        {
            bits[port >> 6] |= 1UL << port;
        }
        return bits;
    }
}
