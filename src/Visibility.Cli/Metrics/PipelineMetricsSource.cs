using System.Globalization;
using Visibility.Engine.Events;
using Visibility.Engine.Ike;
using Visibility.Wire.Ike;

namespace Visibility.Cli.Metrics;

/// <summary>The engine's own metrics beyond the packet counters, summed over every pipeline (one per worker):
/// <c>visibility_esp_sas</c>, <c>visibility_esp_verdicts_total</c>, <c>visibility_wesp_packets_total</c>,
/// <c>visibility_ike_messages_total</c>, <c>visibility_ike_events_total</c>, <c>visibility_ike_sas</c> and
/// <c>visibility_rule_matches_total</c>.</summary>
/// <remarks>Everything is read from plain counters the processing threads bump (<see cref="EngineCounters"/>,
/// <see cref="IkeCounters"/>, <see cref="EspMetricsSink"/>, <see cref="RuleMatchSink"/>); totals equal what the EVE
/// output holds: one <c>esp</c> record per ESP verdict counted, one <c>alert</c> record per rule match, one
/// <c>ike</c> record per IKE message, and the IKE events are those the <c>ike</c> records list.</remarks>
internal sealed class PipelineMetricsSource : IMetricsSource
{
    private static readonly string[] s_icvLabels = BuildIcvLabels();
    private static readonly IkeSaState[] s_states = [.. Enum.GetValues<IkeSaState>().Where(s => s != IkeSaState.None)];
    private readonly IReadOnlyList<PipelineMetrics> _workers;
    private readonly long[] _exchanges = new long[256];
    private readonly long[] _states = new long[16];
    private readonly Dictionary<(uint Sid, string Action), long> _rules = [];

    public PipelineMetricsSource(IReadOnlyList<PipelineMetrics> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        _workers = workers;
    }

    public void Collect(IMetricsWriter metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        CollectEsp(metrics);
        CollectIke(metrics);
        CollectRules(metrics);
    }

    private void CollectEsp(IMetricsWriter metrics)
    {
        long aliveNull = 0, aliveEncrypted = 0, aliveUnknown = 0, wespEncrypted = 0, wespClear = 0;
        foreach (PipelineMetrics worker in _workers)
        {
            EngineCounters c = worker.Pipeline.Counters;
            long n = worker.Esp.AliveNull;
            long e = worker.Esp.AliveEncrypted;
            aliveNull += n;
            aliveEncrypted += e;
            aliveUnknown += Math.Max(0, Volatile.Read(ref c.EspFlowsCreated) - worker.Esp.Ended - n - e);
            wespEncrypted += Volatile.Read(ref c.WespEncrypted);
            wespClear += Volatile.Read(ref c.WespNotEncrypted);
        }
        metrics.EspSecurityAssociations("null", aliveNull);
        metrics.EspSecurityAssociations("encrypted", aliveEncrypted);
        metrics.EspSecurityAssociations("unknown", aliveUnknown);
        metrics.WespPackets(true, wespEncrypted);
        metrics.WespPackets(false, wespClear);

        for (int verdict = 0; verdict < 3; verdict++)
        {
            for (int icv = 0; icv <= EspMetricsSink.NoIcv; icv++)
            {
                long total = 0;
                foreach (PipelineMetrics worker in _workers)
                {
                    total += worker.Esp.Verdicts(verdict, icv);
                }
                if (total != 0)
                {
                    metrics.EspVerdicts(EspMetricsSink.VerdictName(verdict), s_icvLabels[icv], total);
                }
            }
        }
    }

    private void CollectIke(IMetricsWriter metrics)
    {
        Array.Clear(_exchanges);
        Array.Clear(_states);
        long ikeV1 = 0;
        foreach (PipelineMetrics worker in _workers)
        {
            IkeCounters c = worker.Pipeline.Ike.Counters;
            for (int i = 0; i < _exchanges.Length; i++)
            {
                _exchanges[i] += c.ExchangeCount((IkeExchangeType)i);
            }
            for (int i = 0; i < _states.Length; i++)
            {
                _states[i] += c.SasInState((IkeSaState)i);
            }
            ikeV1 += Volatile.Read(ref c.IkeV1);
        }
        for (int i = 0; i < _exchanges.Length; i++)
        {
            if (_exchanges[i] != 0)
            {
                metrics.IkeMessages(IkeNames.GetName((IkeExchangeType)i), _exchanges[i]);
            }
        }
        if (ikeV1 != 0)
        {
            metrics.IkeMessages("ikev1", ikeV1);
        }
        foreach ((IkeEvents single, string name) in IkeTrackerNames.Events)
        {
            metrics.IkeEvents(name, IkeEventTotal(_workers, single));
        }
        foreach (IkeSaState state in s_states)
        {
            metrics.IkeSecurityAssociations(IkeTrackerNames.State(state), Math.Max(0, _states[(int)state & 15]));
        }
    }

    /// <summary>IKE messages that showed <paramref name="single"/> (one flag), over every worker: the <c>ike</c>
    /// records that list the event.</summary>
    internal static long IkeEventTotal(IReadOnlyList<PipelineMetrics> workers, IkeEvents single)
    {
        long total = 0;
        foreach (PipelineMetrics worker in workers)
        {
            total += worker.Pipeline.Ike.Counters.EventCount(single);
        }
        return total;
    }

    private void CollectRules(IMetricsWriter metrics)
    {
        _rules.Clear();
        foreach (PipelineMetrics worker in _workers)
        {
            foreach (RuleMatchSink.Entry entry in worker.Rules.Entries)
            {
                _rules[(entry.Sid, entry.Action)] = _rules.GetValueOrDefault((entry.Sid, entry.Action)) + Volatile.Read(ref entry.Count);
            }
        }
        foreach (((uint sid, string action), long total) in _rules)
        {
            metrics.RuleMatches(sid, action, total);
        }
    }

    private static string[] BuildIcvLabels()
    {
        string[] labels = new string[EspMetricsSink.NoIcv + 1];
        for (int i = 0; i < EspMetricsSink.NoIcv; i++)
        {
            labels[i] = i.ToString(CultureInfo.InvariantCulture);
        }
        labels[EspMetricsSink.NoIcv] = "none";
        return labels;
    }
}
