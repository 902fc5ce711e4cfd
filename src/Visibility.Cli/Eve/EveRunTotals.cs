using Visibility.Cli.Metrics;
using Visibility.Cli.Output;
using Visibility.Engine.Ike;

namespace Visibility.Cli.Eve;

/// <summary>What the closing <c>stats</c> record shows beyond the packet counters: alerts and drop-rule matches
/// (<c>stats.detect</c>), ESP SAs by final verdict (<c>stats.esp</c>) and IKE messages, SAs and events
/// (<c>stats.ike</c>), summed over every worker.</summary>
/// <remarks>Read from the counters metrics already keep (<see cref="EspMetricsSink"/>, <see cref="RuleMatchSink"/>,
/// <see cref="IkeCounters"/>) and from the summary's rows, so every figure equals a count of the run's own EVE
/// records: <c>alert</c>, <c>flow</c> (ESP), <c>ike</c> and <c>ike_sa</c>.</remarks>
internal sealed class EveRunTotals
{
    /// <summary>EVE <c>alert</c> records.</summary>
    public long Alerts { get; private init; }

    /// <summary>Alerts of <c>drop</c> rules (would drop offline and on a span port; blocked inline).</summary>
    public long DropMatches { get; private init; }

    /// <summary>Ended ESP SAs by final verdict, indexed as <see cref="EspMetricsSink.VerdictIndex"/>.</summary>
    public IReadOnlyList<long> EspSas { get; private init; } = [0, 0, 0];

    /// <summary>EVE <c>ike</c> records.</summary>
    public long IkeMessages { get; private init; }

    public long IkeV1Messages { get; private init; }

    public long IkeDecrypted { get; private init; }

    /// <summary>EVE <c>ike_sa</c> records.</summary>
    public long IkeSas { get; private init; }

    /// <summary>IKE SAs per <c>ike_sa.outcome</c>, in first-seen order (only outcomes seen).</summary>
    public IReadOnlyList<(string Outcome, long Count)> IkeOutcomes { get; private init; } = [];

    /// <summary>Every IKE event with the number of <c>ike</c> records that list it.</summary>
    public IReadOnlyList<(string Event, long Count)> IkeEvents { get; private init; } = [];

    /// <summary>Totals of a finished run: <paramref name="summary"/> is the run's merged summary.</summary>
    public static EveRunTotals Collect(IReadOnlyList<PipelineMetrics> workers, SummaryCollector summary)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(summary);
        long alerts = 0, drops = 0;
        long[] esp = new long[3];
        foreach (PipelineMetrics worker in workers)
        {
            foreach (RuleMatchSink.Entry entry in worker.Rules.Entries)
            {
                long n = Volatile.Read(ref entry.Count);
                alerts += n;
                if (entry.Action == "drop")
                {
                    drops += n;
                }
            }
            for (int i = 0; i < esp.Length; i++)
            {
                esp[i] += worker.Esp.EndedWithVerdict(i);
            }
        }
        var outcomes = new List<(string Outcome, long Count)>();
        foreach (IkeSaRow row in summary.IkeSas)
        {
            int i = outcomes.FindIndex(o => o.Outcome == row.Outcome);
            if (i < 0)
            {
                outcomes.Add((row.Outcome, 1));
            }
            else
            {
                outcomes[i] = (row.Outcome, outcomes[i].Count + 1);
            }
        }
        var events = new List<(string Event, long Count)>();
        foreach ((IkeEvents single, string name) in IkeTrackerNames.Events)
        {
            events.Add((name, PipelineMetricsSource.IkeEventTotal(workers, single)));
        }
        return new EveRunTotals
        {
            Alerts = alerts,
            DropMatches = drops,
            EspSas = esp,
            IkeMessages = summary.IkeMessages,
            IkeV1Messages = summary.IkeV1Messages,
            IkeDecrypted = summary.IkeDecrypted,
            IkeSas = summary.IkeSas.Count,
            IkeOutcomes = outcomes,
            IkeEvents = events,
        };
    }
}
