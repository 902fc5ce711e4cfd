using System.Runtime.CompilerServices;
using Visibility.Wire;
using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Prefilter;
using Visibility.Engine.Inspection.Thresholds;

namespace Visibility.Engine.Inspection;

/// <summary>Matches packets against one <see cref="RuleSet"/> for one worker: owns the scratch buffers (Latin-1
/// views, match stamps) and the threshold counters. Not thread-safe; no allocation per packet once the scratch has
/// grown to the largest payload seen.</summary>
/// <remarks>
/// Per packet: the protocol bucket's generic group, then the groups of the destination and source ports; in each
/// group the signatures without a fast pattern are evaluated, and the prefilter picks the others. A signature is
/// evaluated at most once per packet. Matches are then reported in rule-set order: when a pass rule matched, only
/// pass rules are reported; thresholds and detection filters are applied to what would be reported.
/// <para>The per-packet methods here, in the matchers and in <see cref="Conditions.Signature"/> are compiled fully
/// optimised at first call: under tiered compilation a replay of a few seconds on one core otherwise ran most of its
/// rule work in the unoptimised tiers.</para>
/// </remarks>
public sealed class RuleEvaluator
{
    private const int InitialPayloadScratch = 2048;

    private readonly RuleSet _set;
    private readonly Signature?[] _signatures;
    private readonly int[] _signatureStamps;
    private readonly int[] _patternStamps;
    private readonly int[] _matched;
    private readonly int[] _hits;
    private readonly ThresholdTable _thresholds;
    private char[] _payloadChars = new char[InitialPayloadScratch];
    private char[] _gatewayChars = new char[512];
    private int _generation;
    private int _matchCount;

    internal RuleEvaluator(RuleSet set)
    {
        _set = set;
        _signatures = set.Signatures;
        _signatureStamps = new int[set.Count];
        _patternStamps = new int[set.PatternSlots];
        _matched = new int[set.Count];
        _hits = new int[Math.Max(set.MaxGroupPatterns, 1)];
        _thresholds = new ThresholdTable(set.UsesThresholds ? set.ThresholdCapacity : 16);
    }

    public RuleSet RuleSet => _set;

    /// <summary><c>pcre</c> evaluations abandoned at their timeout (each counted as no match).</summary>
    public long PcreTimeouts { get; private set; }

    /// <summary>Exceptions thrown by <see cref="IInspector.Inspect"/>.</summary>
    public long InspectorFailures { get; private set; }

    /// <summary>Threshold entries replaced before their window ended because the table was full.</summary>
    public long ThresholdEvictions => _thresholds.Evictions;

    /// <summary>Evaluates every rule and inspector that can match <paramref name="context"/> and reports the matches
    /// to <paramref name="collector"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate<TCollector>(in InspectionContext context, ref TCollector collector)
        where TCollector : IRuleMatchCollector, allows ref struct
    {
        Begin(context);
        AddressKey source = AddressKey.From(context.Source);
        AddressKey destination = AddressKey.From(context.Destination);
        var payload = new ScanBuffer(context.Payload, _payloadChars);
        var gateway = new ScanBuffer(context.IkeRedirectGateway, _gatewayChars);

        ProtocolBucket bucket = _set.Buckets[RuleSet.BucketIndex(context.Protocol, context.CleartextInspected)];
        EvaluateGroup(bucket.Generic, context, source, destination, ref payload, ref gateway);
        if (context.Anomaly != DecodeAnomaly.None)
        {
            EvaluateGroup(bucket.AnomalyOnly, context, source, destination, ref payload, ref gateway);
        }
        if (context.HasPorts)
        {
            if (bucket.HasDestinationPort(context.DestinationPort)
                && bucket.ByDestinationPort.TryGetValue(context.DestinationPort, out SignatureGroup? byDestination))
            {
                EvaluateGroup(byDestination, context, source, destination, ref payload, ref gateway);
            }
            if (bucket.HasSourcePort(context.SourcePort)
                && bucket.BySourcePort.TryGetValue(context.SourcePort, out SignatureGroup? bySource))
            {
                EvaluateGroup(bySource, context, source, destination, ref payload, ref gateway);
            }
        }
        if (bucket.Inspectors.Length > 0)
        {
            RunInspectors(bucket.Inspectors, context);
        }
        PcreTimeouts += payload.PcreTimeouts + gateway.PcreTimeouts;
        if (_matchCount > 0)
        {
            Report(ref collector, source, destination, context.TimestampNanoseconds);
        }
    }

    /// <summary>False when nothing in the rule set can match such a packet (see <see cref="RuleSet.MayMatch"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayMatch(InspectionProtocol protocol, EspEncapsulation encapsulation, ushort sourcePort, ushort destinationPort,
        DecodeAnomaly anomaly, bool cleartextInspected = false) =>
        _set.MayMatch(protocol, encapsulation, sourcePort, destinationPort, anomaly, cleartextInspected);

    /// <summary>Reference evaluation without buckets or prefilter: every signature is tried. For tests that check
    /// the prefiltered path reports the same matches.</summary>
    internal void EvaluateUnfiltered<TCollector>(in InspectionContext context, ref TCollector collector)
        where TCollector : IRuleMatchCollector, allows ref struct
    {
        Begin(context);
        AddressKey source = AddressKey.From(context.Source);
        AddressKey destination = AddressKey.From(context.Destination);
        var payload = new ScanBuffer(context.Payload, _payloadChars);
        var gateway = new ScanBuffer(context.IkeRedirectGateway, _gatewayChars);
        for (int i = 0; i < _signatures.Length; i++)
        {
            TryMatch(i, context, source, destination, ref payload, ref gateway);
        }
        IInspector[] inspectors = _set.InspectorArray;
        var all = new int[inspectors.Length];
        int n = 0;
        for (int i = 0; i < inspectors.Length; i++)
        {
            if (Signature.ProtocolMatches(inspectors[i].Protocol, context))
            {
                all[n++] = i;
            }
        }
        RunInspectors(all.AsSpan(0, n), context);
        Report(ref collector, source, destination, context.TimestampNanoseconds);
    }

    internal void RaiseFromInspector(int inspector, Rule rule)
    {
        int index = _set.IndexOf(rule, inspector);
        if (index < 0)
        {
            throw new ArgumentException($"rule {rule} is not declared by inspector {_set.InspectorArray[inspector].Name}", nameof(rule));
        }
        if (_signatureStamps[index] != _generation)
        {
            _signatureStamps[index] = _generation;
            _matched[_matchCount++] = index;
        }
    }

    private void Begin(in InspectionContext context)
    {
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_signatureStamps);
            Array.Clear(_patternStamps);
            _generation = 1;
        }
        _matchCount = 0;
        if (context.Payload.Length > _payloadChars.Length)
        {
            _payloadChars = new char[Math.Max(context.Payload.Length, _payloadChars.Length * 2)];
        }
        if (context.IkeRedirectGateway.Length > _gatewayChars.Length)
        {
            _gatewayChars = new char[context.IkeRedirectGateway.Length];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EvaluateGroup(SignatureGroup group, in InspectionContext context, in AddressKey source,
        in AddressKey destination, ref ScanBuffer payload, ref ScanBuffer gateway)
    {
        foreach (int s in group.Always)
        {
            TryMatch(s, context, source, destination, ref payload, ref gateway);
        }
        PatternMatcher? matcher = group.Matcher;
        if (matcher is null || payload.Bytes.IsEmpty)
        {
            return;
        }
        int hits = matcher.Scan(ref payload, _patternStamps, group.SlotBase, _generation, _hits);
        for (int h = 0; h < hits; h++)
        {
            foreach (int s in group.ByPattern[_hits[h]])
            {
                TryMatch(s, context, source, destination, ref payload, ref gateway);
            }
        }
    }

    private void TryMatch(int index, in InspectionContext context, in AddressKey source, in AddressKey destination,
        ref ScanBuffer payload, ref ScanBuffer gateway)
    {
        if (_signatureStamps[index] == _generation)
        {
            return;
        }
        _signatureStamps[index] = _generation;
        Signature? signature = _signatures[index];
        if (signature is not null && signature.IsMatch(context, source, destination, ref payload, ref gateway))
        {
            _matched[_matchCount++] = index;
        }
    }

    private void RunInspectors(ReadOnlySpan<int> inspectors, in InspectionContext context)
    {
        IInspector[] all = _set.InspectorArray;
        foreach (int i in inspectors)
        {
            var results = new InspectorResults(this, i);
            try
            {
                all[i].Inspect(context, ref results);
            }
#pragma warning disable CA1031 // A faulty plugin must not stop the sensor; the failure is counted.
            catch (Exception)
#pragma warning restore CA1031
            {
                InspectorFailures++;
            }
        }
    }

    private void Report<TCollector>(ref TCollector collector, in AddressKey source, in AddressKey destination, long now)
        where TCollector : IRuleMatchCollector, allows ref struct
    {
        Span<int> matched = _matched.AsSpan(0, _matchCount);
        matched.Sort();
        Rule[] rules = _set.RuleArray;
        bool passed = false;
        foreach (int index in matched)
        {
            Rule rule = rules[index];
            if (passed && rule.Action != RuleAction.Pass)
            {
                break;
            }
            if (!ThresholdsAllow(index, source, destination, now))
            {
                continue;
            }
            passed |= rule.Action == RuleAction.Pass;
            collector.OnMatch(new RuleMatch(rule));
        }
    }

    private bool ThresholdsAllow(int index, in AddressKey source, in AddressKey destination, long now)
    {
        Signature? signature = _signatures[index];
        if (signature is null)
        {
            return true;
        }
        if (signature.DetectionFilter is { } filter && !_thresholds.Allow(filter, index, source, destination, now))
        {
            return false;
        }
        return signature.Threshold is not { } threshold || _thresholds.Allow(threshold, index, source, destination, now);
    }
}
