using System.Runtime.CompilerServices;
using System.Collections.Frozen;
using Visibility.Wire;
using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Prefilter;

namespace Visibility.Engine.Inspection;

/// <summary>Rules and inspectors compiled once for matching: ordered (pass, drop, alert; then priority, gid, sid),
/// bucketed by inspected protocol and by the ports rules name, with a multi-pattern prefilter over each bucket's
/// fast patterns. Immutable and thread-safe; each worker matches through its own <see cref="RuleEvaluator"/>.</summary>
/// <remarks>A reload compiles a new set from the new rules and swaps the reference; evaluators created from the old
/// set keep working on it until they are replaced. Compiling allocates; evaluating does not.</remarks>
public sealed class RuleSet
{
    /// <summary>A rule whose destination (else source) port specification covers at most this many ports is indexed
    /// by port; a wider one sits in its protocol's generic group.</summary>
    public const int MaxIndexedPorts = 64;

    /// <summary>Default capacity of an evaluator's threshold table (entries; each is a few dozen bytes).</summary>
    public const int DefaultThresholdCapacity = 1 << 14;

    private static readonly int s_protocolCount = Enum.GetValues<InspectionProtocol>().Length;

    private readonly Rule[] _rules;
    private readonly IInspector[] _inspectors;
    private readonly Dictionary<Rule, int> _ruleIndex;
    private readonly int[] _ownerInspector;
    private RuleEvaluator? _defaultEvaluator;

    private RuleSet(Rule[] rules, IInspector[] inspectors, Dictionary<Rule, int> ruleIndex, int[] ownerInspector,
        ProtocolBucket[] buckets, int patternSlots, int maxGroupPatterns, int thresholdCapacity)
    {
        _rules = rules;
        _inspectors = inspectors;
        _ruleIndex = ruleIndex;
        _ownerInspector = ownerInspector;
        Signatures = [.. rules.Select(r => r.Signature)];
        Buckets = buckets;
        PatternSlots = patternSlots;
        MaxGroupPatterns = maxGroupPatterns;
        ThresholdCapacity = thresholdCapacity;
        UsesThresholds = Signatures.Any(s => s?.Threshold is not null || s?.DetectionFilter is not null);
    }

    /// <summary>Every signature in evaluation order: rule-file rules and the rules inspectors declared.</summary>
    public IReadOnlyList<Rule> Rules => _rules;

    public int Count => _rules.Length;

    public IReadOnlyList<IInspector> Inspectors => _inspectors;

    /// <summary>Distinct fast patterns across all prefilter groups.</summary>
    public int PatternSlots { get; }

    public int ThresholdCapacity { get; }

    /// <summary>True when some rule has a <c>threshold</c> or <c>detection_filter</c>.</summary>
    public bool UsesThresholds { get; }

    internal Signature?[] Signatures { get; }

    /// <summary>Indexed by <see cref="BucketIndex"/>: one per <see cref="InspectionProtocol"/>, then the ESP packets whose
    /// cleartext was inspected as the inner packet (only <c>esp</c> rules see those).</summary>
    internal ProtocolBucket[] Buckets { get; }

    internal int MaxGroupPatterns { get; }

    internal IInspector[] InspectorArray => _inspectors;

    internal Rule[] RuleArray => _rules;

    public static RuleSet Empty { get; } = Compile([]);

    /// <summary>Compiles parsed rules (see <see cref="RuleParser"/>) and C# inspectors.</summary>
    /// <exception cref="ArgumentException">Two rules share a (gid, sid), or an inspector declares no or a foreign rule.</exception>
    public static RuleSet Compile(IEnumerable<Rule> rules, IEnumerable<IInspector>? inspectors = null,
        int thresholdCapacity = DefaultThresholdCapacity)
    {
        ArgumentNullException.ThrowIfNull(rules);
        IInspector[] inspectorArray = inspectors?.ToArray() ?? [];
        var all = new List<(Rule Rule, int Inspector)>();
        foreach (Rule rule in rules)
        {
            if (rule.IsInspectorRule)
            {
                throw new ArgumentException($"rule {rule} was declared for an inspector; pass the inspector instead", nameof(rules));
            }
            all.Add((rule, -1));
        }
        for (int i = 0; i < inspectorArray.Length; i++)
        {
            foreach (Rule rule in inspectorArray[i].Rules)
            {
                if (!rule.IsInspectorRule)
                {
                    throw new ArgumentException($"inspector {inspectorArray[i].Name} declares rule-file rule {rule}", nameof(inspectors));
                }
                all.Add((rule, i));
            }
        }
        var seen = new HashSet<(uint, uint)>();
        foreach ((Rule rule, _) in all)
        {
            if (!seen.Add((rule.Gid, rule.Sid)))
            {
                throw new ArgumentException($"duplicate sid {rule.Sid} (gid {rule.Gid})", nameof(rules));
            }
        }
        all.Sort((a, b) =>
        {
            int c = ActionRank(a.Rule.Action).CompareTo(ActionRank(b.Rule.Action));
            if (c == 0)
            {
                c = a.Rule.Priority.CompareTo(b.Rule.Priority);
            }
            if (c == 0)
            {
                c = a.Rule.Gid.CompareTo(b.Rule.Gid);
            }
            return c != 0 ? c : a.Rule.Sid.CompareTo(b.Rule.Sid);
        });
        Rule[] ordered = [.. all.Select(x => x.Rule)];
        int[] owner = [.. all.Select(x => x.Inspector)];
        var index = new Dictionary<Rule, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < ordered.Length; i++)
        {
            index[ordered[i]] = i;
        }

        int slots = 0;
        int maxPatterns = 0;
        var buckets = new ProtocolBucket[s_protocolCount + 1];
        for (int p = 0; p < s_protocolCount; p++)
        {
            buckets[p] = BuildBucket((InspectionProtocol)p, ordered, inspectorArray, ref slots, ref maxPatterns, cleartextInspected: false);
        }
        buckets[s_protocolCount] = BuildBucket(InspectionProtocol.Esp, ordered, inspectorArray, ref slots, ref maxPatterns, cleartextInspected: true);
        return new RuleSet(ordered, inspectorArray, index, owner, buckets, slots, maxPatterns, thresholdCapacity);
    }

    /// <summary>A new evaluator (scratch buffers and threshold counters) for one worker thread.</summary>
    public RuleEvaluator CreateEvaluator() => new(this);

    /// <summary>Evaluates through an evaluator owned by this set. Convenient for one thread; with several workers
    /// give each its own <see cref="CreateEvaluator"/>.</summary>
    public void Evaluate<TCollector>(in InspectionContext context, ref TCollector collector)
        where TCollector : IRuleMatchCollector, allows ref struct
    {
        _defaultEvaluator ??= new RuleEvaluator(this);
        _defaultEvaluator.Evaluate(context, ref collector);
    }

    /// <summary>False when no rule and no inspector can match a packet of <paramref name="protocol"/> on these ports
    /// (ports as <see cref="InspectionContext"/> carries them: 0 when <see cref="InspectionContext.PortsApply"/> is
    /// false) with or without an anomaly; such a packet can skip inspection, context included. A few loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayMatch(InspectionProtocol protocol, EspEncapsulation encapsulation, ushort sourcePort, ushort destinationPort,
        DecodeAnomaly anomaly, bool cleartextInspected = false) =>
        Buckets[BucketIndex(protocol, cleartextInspected)].MayMatch(InspectionContext.PortsApply(protocol, encapsulation), sourcePort, destinationPort,
            anomaly != DecodeAnomaly.None);

    /// <summary>Where <see cref="Buckets"/> keeps what can match such a packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int BucketIndex(InspectionProtocol protocol, bool cleartextInspected) =>
        cleartextInspected ? s_protocolCount : (int)protocol;

    internal int IndexOf(Rule rule, int inspector) =>
        _ruleIndex.TryGetValue(rule, out int i) && _ownerInspector[i] == inspector ? i : -1;

    internal static bool CanSee(RuleProtocol rule, InspectionProtocol packet) => rule switch
    {
        RuleProtocol.Ip => true,
        RuleProtocol.Tcp => packet == InspectionProtocol.Tcp,
        RuleProtocol.Udp => packet is InspectionProtocol.Udp or InspectionProtocol.Ike or InspectionProtocol.Esp,
        RuleProtocol.Icmp => packet == InspectionProtocol.Icmp,
        RuleProtocol.Esp => packet == InspectionProtocol.Esp,
        RuleProtocol.Ike => packet == InspectionProtocol.Ike,
        _ => false,
    };

    private static int ActionRank(RuleAction action) => action switch
    {
        RuleAction.Pass => 0,
        RuleAction.Drop => 1,
        _ => 2,
    };

    private static ProtocolBucket BuildBucket(InspectionProtocol protocol, Rule[] rules, IInspector[] inspectors,
        ref int slots, ref int maxPatterns, bool cleartextInspected)
    {
        bool portsPossible = protocol is not (InspectionProtocol.Icmp or InspectionProtocol.Other);
        var generic = new List<int>();
        var anomalyOnly = new List<int>();
        var byDestination = new SortedDictionary<ushort, List<int>>();
        var bySource = new SortedDictionary<ushort, List<int>>();
        Signature?[] signatures = [.. rules.Select(r => r.Signature)];
        for (int i = 0; i < rules.Length; i++)
        {
            Signature? s = signatures[i];
            if (s is null || !CanSee(s.Protocol, protocol) || (cleartextInspected && s.Protocol != RuleProtocol.Esp))
            {
                continue;
            }
            if (s.Conditions.Any(c => c is Conditions.DecodeEventCondition))
            {
                anomalyOnly.Add(i);
                continue;
            }
            if (!portsPossible)
            {
                if (s.SourcePorts.IsAny && s.DestinationPorts.IsAny)
                {
                    generic.Add(i);
                }
                continue;
            }
            bool byDestinationPort = TryPorts(s.DestinationPorts, out List<ushort>? ports);
            if (!byDestinationPort && !TryPorts(s.SourcePorts, out ports))
            {
                generic.Add(i);
                continue;
            }
            AddAll(byDestinationPort ? byDestination : bySource, ports!, i);
            if (s.Bidirectional)
            {
                // Reversed, the rule's ports sit on the other side of the packet.
                AddAll(byDestinationPort ? bySource : byDestination, ports!, i);
            }
        }
        SignatureGroup genericGroup = SignatureGroup.Create(generic, signatures, ref slots);
        SignatureGroup anomalyGroup = SignatureGroup.Create(anomalyOnly, signatures, ref slots);
        maxPatterns = Math.Max(maxPatterns, anomalyGroup.Matcher?.PatternCount ?? 0);
        maxPatterns = Math.Max(maxPatterns, genericGroup.Matcher?.PatternCount ?? 0);
        var destinationGroups = new Dictionary<ushort, SignatureGroup>();
        foreach ((ushort port, List<int> list) in byDestination)
        {
            SignatureGroup g = SignatureGroup.Create(list, signatures, ref slots);
            maxPatterns = Math.Max(maxPatterns, g.Matcher?.PatternCount ?? 0);
            destinationGroups[port] = g;
        }
        var sourceGroups = new Dictionary<ushort, SignatureGroup>();
        foreach ((ushort port, List<int> list) in bySource)
        {
            SignatureGroup g = SignatureGroup.Create(list, signatures, ref slots);
            maxPatterns = Math.Max(maxPatterns, g.Matcher?.PatternCount ?? 0);
            sourceGroups[port] = g;
        }
        var inspectorIndices = new List<int>();
        for (int i = 0; i < inspectors.Length; i++)
        {
            if (CanSee(inspectors[i].Protocol, protocol) && (!cleartextInspected || inspectors[i].Protocol == RuleProtocol.Esp))
            {
                inspectorIndices.Add(i);
            }
        }
        return new ProtocolBucket(genericGroup, anomalyGroup, destinationGroups.ToFrozenDictionary(), sourceGroups.ToFrozenDictionary(),
            [.. inspectorIndices]);
    }

    private static bool TryPorts(PortSet set, out List<ushort>? ports)
    {
        ports = null;
        if (set.IsAny || set.Ports.CountUpTo(MaxIndexedPorts + 1) > MaxIndexedPorts)
        {
            return false;
        }
        ports = [];
        for (int r = 0; r < set.Ports.RangeCount; r++)
        {
            for (int p = set.Ports.RangeStart(r); p <= set.Ports.RangeEnd(r); p++)
            {
                ports.Add((ushort)p);
            }
        }
        return true;
    }

    private static void AddAll(SortedDictionary<ushort, List<int>> map, List<ushort> ports, int signature)
    {
        foreach (ushort port in ports)
        {
            if (!map.TryGetValue(port, out List<int>? list))
            {
                map[port] = list = [];
            }
            if (list.Count == 0 || list[^1] != signature)
            {
                list.Add(signature);
            }
        }
    }
}
