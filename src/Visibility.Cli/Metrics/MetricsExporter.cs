using System.Globalization;
using System.Net;
using System.Reflection;
using Prometheus;
using Visibility.Engine.Events;
using Visibility.Engine.Pipeline;
using Visibility.Wire;

namespace Visibility.Cli.Metrics;

/// <summary>Serves the contract's Prometheus metrics on <c>http://ADDR:PORT/metrics</c>. Values are read from the
/// pipeline's <see cref="EngineCounters"/>, the per-source totals and the registered <see cref="IMetricsSource"/>s
/// in a before-collect callback, i.e. only when scraped: the packet path pays nothing.</summary>
/// <remarks>Counters are exported with <c>IncTo</c> (cumulative totals read with <see cref="Volatile"/>), so a
/// scrape that races the processing thread sees a slightly older total, never a torn one.</remarks>
internal sealed class MetricsExporter : IMetricsWriter, IDisposable
{
    private static readonly string[] s_espEncapsulations = ["esp", "udp", "wesp"];

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly IReadOnlyList<PacketPipeline> _pipelines;
    private readonly EngineCounters _sum = new();
    private readonly PacketSourceTotals _sources;
    private readonly List<IMetricsSource> _extraSources = [];
    private readonly List<(string Name, long Packets, long Bytes)> _sourceScratch = [];
    private readonly Lock _collectLock = new();
    private readonly Counter _packets;
    private readonly Counter _bytes;
    private readonly Counter _anomalies;
    private readonly Counter _espPackets;
    private readonly Gauge _espSas;
    private readonly Counter _espVerdicts;
    private readonly Counter _wespPackets;
    private readonly Counter _ikeMessages;
    private readonly Counter _ikeEvents;
    private readonly Gauge _ikeSas;
    private readonly Counter _ruleMatches;
    private readonly Gauge _flows;
    private readonly Counter _flowEvictions;
    private readonly Counter _flowsTotal;
    private readonly Counter _flowTimeouts;
    private readonly Counter _captureDrops;
    private readonly Counter _ringOverflows;
    private readonly Histogram _inlineVerdictSeconds;
    private readonly Counter _inlineFrames;
    private readonly Counter _inlineFailures;
    private readonly Counter _inlineSendErrors;
    private readonly HashSet<(Gauge, string)> _gaugeLabelsSeen = [];
    private readonly HashSet<(Gauge, string)> _gaugeLabelsSet = [];
    private MetricServer? _server;

    public MetricsExporter(ListenAddress listen, PacketPipeline pipeline, PacketSourceTotals sources)
        : this(listen, [pipeline], sources)
    {
    }

    /// <summary>An exporter over several pipelines (one per worker): counters and gauges are their sums.</summary>
    public MetricsExporter(ListenAddress listen, IReadOnlyList<PacketPipeline> pipelines, PacketSourceTotals sources)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(pipelines);
        Listen = listen;
        _pipelines = pipelines;
        _sources = sources;
        IMetricFactory f = Prometheus.Metrics.WithCustomRegistry(_registry);
        _packets = f.CreateCounter("visibility_packets_total", "Packets read, by input (capture file or interface). The sum over sources is every packet read.", ["source"]);
        _bytes = f.CreateCounter("visibility_bytes_total", "Bytes on the wire (original frame lengths), by input.", ["source"]);
        _anomalies = f.CreateCounter("visibility_decode_anomalies_total", "Malformed or truncated packets, by EVE anomaly event name.", ["event"]);
        _espPackets = f.CreateCounter("visibility_esp_packets_total", "ESP packets by encapsulation: esp (IP protocol 50), udp (RFC 3948), wesp (native or UDP).", ["encap"]);
        _espSas = f.CreateGauge("visibility_esp_sas", "ESP security associations now tracked, by verdict.", ["verdict"]);
        _espVerdicts = f.CreateCounter("visibility_esp_verdicts_total", "ESP verdicts decided, by verdict and ICV length.", ["verdict", "icv_len"]);
        _wespPackets = f.CreateCounter("visibility_wesp_packets_total", "WESP packets by the Encrypted flag.", ["encrypted"]);
        _ikeMessages = f.CreateCounter("visibility_ike_messages_total", "IKE messages by exchange type.", ["exchange"]);
        _ikeEvents = f.CreateCounter("visibility_ike_events_total", "IKE events by name.", ["event"]);
        _ikeSas = f.CreateGauge("visibility_ike_sas", "IKE security associations now tracked, by state.", ["state"]);
        _ruleMatches = f.CreateCounter("visibility_rule_matches_total", "Rule matches by signature id and action.", ["sid", "action"]);
        _flows = f.CreateGauge("visibility_flows", "Flows now in the flow table.");
        _flowEvictions = f.CreateCounter("visibility_flow_evictions_total", "Flows ended early because the flow table was full.");
        _flowsTotal = f.CreateCounter("visibility_flows_created_total", "Flows created.");
        _flowTimeouts = f.CreateCounter("visibility_flow_timeouts_total", "Flows ended by idle timeout.");
        _captureDrops = f.CreateCounter("visibility_capture_drops_total", "Frames lost before the pipeline (kernel buffer, interface, frame ring), by interface.", ["iface"]);
        _ringOverflows = f.CreateCounter("visibility_capture_ring_overflows_total", "Frames captured but dropped because processing was behind, by interface.", ["iface"]);
        _inlineVerdictSeconds = f.CreateHistogram("visibility_inline_verdict_seconds", "Time from frame arrival to the inline forwarding decision.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1e-6, 4, 10) });
        _inlineFrames = f.CreateCounter("visibility_inline_frames_total", "Frames the inline bridge decided on, by direction and decision (pass, drop, fail_open, fail_closed).", ["direction", "decision"]);
        _inlineFailures = f.CreateCounter("visibility_inline_failures_total", "Inline frames the engine gave no verdict for, by reason (timeout, busy, queue_full, engine_error).", ["reason"]);
        _inlineSendErrors = f.CreateCounter("visibility_inline_send_errors_total", "Inline frames the egress interface refused, by interface.", ["iface"]);
        Gauge buildInfo = f.CreateGauge("visibility_build_info", "Build of the running sensor (value 1).", ["version"]);
        buildInfo.WithLabels(Version).Set(1);

        // Label values known in advance are exported from the first scrape, at zero until something happens.
        foreach (DecodeAnomaly anomaly in DecodeAnomalyNames.All)
        {
            _anomalies.WithLabels(DecodeAnomalyNames.EventName(anomaly));
        }
        foreach (string encap in s_espEncapsulations)
        {
            _espPackets.WithLabels(encap);
        }
        foreach (string verdict in (string[])["null", "encrypted", "unknown"])
        {
            _espSas.WithLabels(verdict);
        }
        _wespPackets.WithLabels("true");
        _wespPackets.WithLabels("false");
        _registry.AddBeforeCollectCallback(Collect);
    }

    /// <summary>The version label of <c>visibility_build_info</c>.</summary>
    public static string Version { get; } =
        typeof(MetricsExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public ListenAddress Listen { get; }

    /// <summary>The registry (for tests and for serializing without the HTTP server).</summary>
    public CollectorRegistry Registry => _registry;

    /// <summary>Adds a source read at every scrape (see <see cref="IMetricsSource"/>).</summary>
    public void AddSource(IMetricsSource source)
    {
        lock (_collectLock)
        {
            _extraSources.Add(source);
        }
    }

    /// <summary>For the inline path: one forwarding decision took <paramref name="seconds"/>.</summary>
    public void ObserveInlineVerdict(double seconds) => _inlineVerdictSeconds.Observe(seconds);

    /// <summary>Starts serving. Throws <see cref="MetricsException"/> with a one-line reason when the address cannot
    /// be bound (busy, not local, no permission).</summary>
    public void Start()
    {
        var server = new MetricServer(Listen.ListenerHost, Listen.Port, "metrics/", _registry);
        try
        {
            server.Start();
        }
        catch (Exception e) when (e is HttpListenerException or System.Net.Sockets.SocketException or InvalidOperationException or PlatformNotSupportedException)
        {
            server.Dispose();
            throw new MetricsException($"cannot listen for metrics on {Listen}: {e.Message}", e);
        }
        _server = server;
    }

    public void Dispose()
    {
        if (_server is not null)
        {
            // Stop() waits for the listener loop; a scrape in flight finishes first.
            _server.Stop();
            _server.Dispose();
            _server = null;
        }
    }

    /// <summary>Reads every source into the collectors (the registry's before-collect callback).</summary>
    internal void Collect()
    {
        lock (_collectLock)
        {
            EngineCounters c = _sum;
            c.Reset();
            int flows = 0;
            foreach (PacketPipeline pipeline in _pipelines)
            {
                c.Add(pipeline.Counters);
                flows += pipeline.Flows.Count;
            }
            _sourceScratch.Clear();
            _sources.Read(_sourceScratch);
            foreach ((string name, long packets, long bytes) in _sourceScratch)
            {
                _packets.WithLabels(name).IncTo(packets);
                _bytes.WithLabels(name).IncTo(bytes);
            }
            ReadOnlySpan<long> anomalies = c.Anomalies;
            foreach (DecodeAnomaly anomaly in DecodeAnomalyNames.All)
            {
                _anomalies.WithLabels(DecodeAnomalyNames.EventName(anomaly)).IncTo(Volatile.Read(in anomalies[(byte)anomaly]));
            }
            _espPackets.WithLabels("esp").IncTo(Volatile.Read(ref c.Esp));
            _espPackets.WithLabels("udp").IncTo(Volatile.Read(ref c.EspUdp));
            _espPackets.WithLabels("wesp").IncTo(Volatile.Read(ref c.Wesp));
            _flows.Set(flows);
            _flowEvictions.IncTo(Volatile.Read(ref c.FlowsEvicted));
            _flowsTotal.IncTo(Volatile.Read(ref c.FlowsCreated));
            _flowTimeouts.IncTo(Volatile.Read(ref c.FlowsTimedOut));

            _gaugeLabelsSet.Clear();
            foreach (IMetricsSource source in _extraSources)
            {
                source.Collect(this);
            }
            // A gauge label value no source reported this time is back to zero (the SA or state is gone).
            foreach ((Gauge gauge, string label) in _gaugeLabelsSeen)
            {
                if (!_gaugeLabelsSet.Contains((gauge, label)))
                {
                    gauge.WithLabels(label).Set(0);
                }
            }
        }
    }

    void IMetricsWriter.EspSecurityAssociations(string verdict, long count) => SetGauge(_espSas, verdict, count);

    void IMetricsWriter.EspVerdicts(string verdict, string icvLength, long total) => _espVerdicts.WithLabels(verdict, icvLength).IncTo(total);

    void IMetricsWriter.WespPackets(bool encrypted, long total) => _wespPackets.WithLabels(encrypted ? "true" : "false").IncTo(total);

    void IMetricsWriter.IkeMessages(string exchange, long total) => _ikeMessages.WithLabels(exchange).IncTo(total);

    void IMetricsWriter.IkeEvents(string eventName, long total) => _ikeEvents.WithLabels(eventName).IncTo(total);

    void IMetricsWriter.IkeSecurityAssociations(string state, long count) => SetGauge(_ikeSas, state, count);

    void IMetricsWriter.RuleMatches(long signatureId, string action, long total) =>
        _ruleMatches.WithLabels(signatureId.ToString(CultureInfo.InvariantCulture), action).IncTo(total);

    void IMetricsWriter.CaptureDrops(string iface, long total, long ringOverflows)
    {
        _captureDrops.WithLabels(iface).IncTo(total);
        _ringOverflows.WithLabels(iface).IncTo(ringOverflows);
    }

    void IMetricsWriter.InlineFrames(string direction, string decision, long total) => _inlineFrames.WithLabels(direction, decision).IncTo(total);

    void IMetricsWriter.InlineFailures(string reason, long total) => _inlineFailures.WithLabels(reason).IncTo(total);

    void IMetricsWriter.InlineSendErrors(string iface, long total) => _inlineSendErrors.WithLabels(iface).IncTo(total);

    private void SetGauge(Gauge gauge, string label, long value)
    {
        gauge.WithLabels(label).Set(value);
        _gaugeLabelsSeen.Add((gauge, label));
        _gaugeLabelsSet.Add((gauge, label));
    }
}
