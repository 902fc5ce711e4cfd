using System.Globalization;
using System.Text.Json;
using Visibility.Integration.Tests.Infrastructure;
using Visibility.Wire;
using Visibility.Wire.Esp;
using Visibility.Wire.Pcap;

namespace Visibility.Integration.Tests;

/// <summary>The metrics endpoint of <c>visibility replay --metrics-listen ADDR:PORT --hold</c>, read directly and
/// scraped by a real Prometheus server.</summary>
[Collection(ProcessCollection.Name)]
public sealed class MetricsExporterTests
{
    /// <summary>Every metric name the contract lists.</summary>
    private static readonly string[] s_contractMetrics =
    [
        "visibility_packets_total",
        "visibility_bytes_total",
        "visibility_decode_anomalies_total",
        "visibility_esp_packets_total",
        "visibility_esp_sas",
        "visibility_esp_verdicts_total",
        "visibility_wesp_packets_total",
        "visibility_ike_messages_total",
        "visibility_ike_events_total",
        "visibility_ike_sas",
        "visibility_rule_matches_total",
        "visibility_flows",
        "visibility_flow_evictions_total",
        "visibility_capture_drops_total",
        "visibility_inline_verdict_seconds",
        "visibility_build_info",
    ];

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [Fact]
    public void Metrics_ReplayHold_ServesEveryContractMetricAndPacketTotal()
    {
        int port = FreePort.Next();
        using SensorProcess sensor = SensorProcess.Start(["replay", RepositoryPaths.IpsecCapture, "--metrics-listen", $"127.0.0.1:{port}", "--hold"]);
        string text = ScrapeWhenServing(sensor, port);

        foreach (string name in s_contractMetrics)
        {
            Assert.Contains($"# TYPE {name} ", text, StringComparison.Ordinal);
        }
        (long expected, long bytes) = CountRecords(RepositoryPaths.IpsecCapture);
        List<(string Labels, double Value)> packets = Samples(text, "visibility_packets_total");
        (string labels, double value) = Assert.Single(packets);
        Assert.Equal($"source=\"{RepositoryPaths.IpsecCapture}\"", labels);
        Assert.Equal(expected, value);
        Assert.Equal(bytes, Assert.Single(Samples(text, "visibility_bytes_total")).Value);
        Assert.Contains(Samples(text, "visibility_decode_anomalies_total"), s => s.Labels == "event=\"esp.pkt_too_small\"");
        Assert.Equal(1, Assert.Single(Samples(text, "visibility_build_info")).Value);

        sensor.Signal("TERM");
        Assert.Equal(0, sensor.WaitForExit(s_wait));
    }

    [RequiresFact(Prerequisite.Prometheus)]
    public void Metrics_ScrapedByPrometheus_SumOfPacketsEqualsPacketsRead()
    {
        int port = FreePort.Next();
        using SensorProcess sensor = SensorProcess.Start(["replay", RepositoryPaths.IpsecCapture, "--metrics-listen", $"127.0.0.1:{port}", "--hold"]);
        ScrapeWhenServing(sensor, port);
        using PrometheusServer prometheus = PrometheusServer.Start(port);

        (long expected, _) = CountRecords(RepositoryPaths.IpsecCapture);
        Assert.Equal(expected, prometheus.WaitForValue("sum(visibility_packets_total)", expected, s_wait));
        Assert.Equal(1, prometheus.Query("up{job=\"visibility\"}"));

        sensor.Signal("TERM");
        Assert.Equal(0, sensor.WaitForExit(s_wait));
    }

    /// <summary>ESP-NULL and encrypted ESP, WESP, IKEv2 with a Redirect (decrypted with its keys) and a QCD crash,
    /// under the shipped rules, spread over two workers: what Prometheus scraped equals what the replay wrote to EVE
    /// (esp, ike and alert records) and what the capture holds (WESP packets by their Encrypted flag).</summary>
    [RequiresFact(Prerequisite.Prometheus)]
    public void Metrics_ScrapedByPrometheus_EngineMetricsEqualReplayCounts()
    {
        string peer = Path.Combine(RepositoryPaths.Root, "captures", "synthetic", "peer");
        string[] files =
        [
            Path.Combine(RepositoryPaths.Root, "captures", "synthetic", "esp", "mix-110.pcap"),
            Path.Combine(RepositoryPaths.Root, "captures", "synthetic", "esp", "wesp.pcap"),
            Path.Combine(peer, "redirect-auth", "capture.pcap"),
            Path.Combine(peer, "qcd-crash", "capture.pcap"),
        ];
        string eve = Path.Combine(Path.GetTempPath(), "visibility-metrics-" + Guid.NewGuid().ToString("N") + ".jsonl");
        int port = FreePort.Next();
        try
        {
            using SensorProcess sensor = SensorProcess.Start(["replay", .. files, "--keys", Path.Combine(peer, "redirect-auth"),
                "--rules", Path.Combine(RepositoryPaths.Root, "rules"), "--workers", "2", "--eve", eve,
                "--metrics-listen", $"127.0.0.1:{port}", "--hold"]);
            ScrapeWhenServing(sensor, port);
            using PrometheusServer prometheus = PrometheusServer.Start(port);
            Expected expected = Expected.From(File.ReadAllLines(eve), files);
            Assert.NotEmpty(expected.EspVerdicts);
            Assert.Contains(expected.EspVerdicts, e => e.Key.StartsWith("null/", StringComparison.Ordinal));
            Assert.True(expected.WespEncrypted > 0 && expected.WespClear > 0);
            Assert.Contains("redirect", expected.IkeEvents.Keys);
            Assert.NotEmpty(expected.RuleMatches);

            // The hold starts after the last packet: one complete scrape holds the final totals.
            Assert.Equal((double)(expected.WespEncrypted + expected.WespClear), prometheus.WaitForValue("sum(visibility_wesp_packets_total)", expected.WespEncrypted + expected.WespClear, s_wait));
            Assert.Equal((double)expected.WespEncrypted, prometheus.Query("visibility_wesp_packets_total{encrypted=\"true\"}"));
            Assert.Equal((double)expected.WespClear, prometheus.Query("visibility_wesp_packets_total{encrypted=\"false\"}"));
            Assert.Equal(expected.EspVerdicts, NonZero(prometheus.QueryVector("visibility_esp_verdicts_total"), "verdict", "icv_len"));
            Assert.Equal(expected.IkeMessages, NonZero(prometheus.QueryVector("visibility_ike_messages_total"), "exchange"));
            Assert.Equal(expected.IkeEvents, NonZero(prometheus.QueryVector("visibility_ike_events_total"), "event"));
            Assert.Equal(expected.RuleMatches, NonZero(prometheus.QueryVector("visibility_rule_matches_total"), "sid", "action"));
            // Every SA was ended at the end of the replay (and written to EVE): the gauges are back to zero.
            Assert.Equal(0, prometheus.Query("sum(visibility_esp_sas)"));
            Assert.Equal(0, prometheus.Query("sum(visibility_ike_sas)"));

            sensor.Signal("TERM");
            Assert.Equal(0, sensor.WaitForExit(s_wait));
        }
        finally
        {
            File.Delete(eve);
        }
    }

    [Fact]
    public void Metrics_BusyPort_OneLineErrorExitOne()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            using SensorProcess sensor = SensorProcess.Start(["replay", RepositoryPaths.IpsecCapture, "--quiet", "--metrics-listen", $"127.0.0.1:{port}"]);
            Assert.Equal(1, sensor.WaitForExit(s_wait));
            string error = sensor.StandardError.Trim();
            Assert.StartsWith($"visibility: error: cannot listen for metrics on 127.0.0.1:{port}", error, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void Metrics_BadAddress_UsageErrorExitOne()
    {
        using SensorProcess sensor = SensorProcess.Start(["replay", RepositoryPaths.IpsecCapture, "--quiet", "--metrics-listen", "127.0.0.1:99999"]);
        Assert.Equal(1, sensor.WaitForExit(s_wait));
        Assert.Contains("--metrics-listen: '127.0.0.1:99999': port must be a number from 1 to 65535", sensor.StandardError, StringComparison.Ordinal);
    }

    /// <summary>Waits until the replay is over and only metrics are served, then reads /metrics once.</summary>
    private static string ScrapeWhenServing(SensorProcess sensor, int port)
    {
        Assert.True(sensor.WaitForError("until SIGINT or SIGTERM", s_wait), "replay did not reach --hold: " + sensor.StandardError);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = new Uri($"http://127.0.0.1:{port}/metrics");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < s_wait)
        {
            Assert.False(sensor.HasExited, "visibility exited: " + sensor.StandardError);
            try
            {
                return http.GetStringAsync(url).GetAwaiter().GetResult();
            }
            catch (HttpRequestException)
            {
                Thread.Sleep(200);
            }
        }
        throw new TimeoutException("metrics endpoint never answered: " + sensor.StandardError);
    }

    private static List<(string Labels, double Value)> Samples(string text, string name)
    {
        var samples = new List<(string, double)>();
        foreach (string line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || (line.Length > name.Length && line[name.Length] is not ('{' or ' ')))
            {
                continue;
            }
            int space = line.LastIndexOf(' ');
            string series = line[..space];
            string labels = series.Contains('{', StringComparison.Ordinal) ? series[(series.IndexOf('{', StringComparison.Ordinal) + 1)..^1] : string.Empty;
            samples.Add((labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    private static SortedDictionary<string, double> NonZero(List<(Dictionary<string, string> Labels, double Value)> samples, params string[] labels)
    {
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach ((Dictionary<string, string> l, double value) in samples)
        {
            if (value != 0)
            {
                result[string.Join('/', labels.Select(name => l[name]))] = value;
            }
        }
        return result;
    }

    /// <summary>The totals the metrics must show, counted from the replay's EVE records and from the captures.</summary>
    private sealed record Expected(
        SortedDictionary<string, double> EspVerdicts,
        SortedDictionary<string, double> IkeMessages,
        SortedDictionary<string, double> IkeEvents,
        SortedDictionary<string, double> RuleMatches,
        long WespEncrypted,
        long WespClear)
    {
        public static Expected From(string[] eve, string[] captures)
        {
            var esp = new SortedDictionary<string, double>(StringComparer.Ordinal);
            var messages = new SortedDictionary<string, double>(StringComparer.Ordinal);
            var events = new SortedDictionary<string, double>(StringComparer.Ordinal);
            var rules = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (string line in eve)
            {
                using JsonDocument document = JsonDocument.Parse(line);
                JsonElement record = document.RootElement;
                switch (record.GetProperty("event_type").GetString())
                {
                    case "esp":
                        JsonElement sa = record.GetProperty("esp");
                        JsonElement icv = sa.GetProperty("icv_len");
                        Add(esp, sa.GetProperty("verdict").GetString() + "/" + (icv.ValueKind == JsonValueKind.Number ? icv.GetInt32().ToString(CultureInfo.InvariantCulture) : "none"));
                        break;
                    case "ike":
                        JsonElement ike = record.GetProperty("ike");
                        if (ike.GetProperty("version").GetInt32() == 2)
                        {
                            Add(messages, ike.GetProperty("exchange").GetString()!);
                        }
                        if (ike.TryGetProperty("events", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
                        {
                            foreach (JsonElement name in list.EnumerateArray())
                            {
                                Add(events, name.GetString()!);
                            }
                        }
                        break;
                    case "alert":
                        JsonElement alert = record.GetProperty("alert");
                        bool drop = alert.TryGetProperty("would_drop", out JsonElement wouldDrop) && wouldDrop.GetBoolean();
                        Add(rules, alert.GetProperty("signature_id").GetInt64().ToString(CultureInfo.InvariantCulture) + "/" + (drop ? "drop" : "alert"));
                        break;
                }
            }
            long encrypted = 0, clear = 0;
            var meta = default(PacketMeta);
            foreach (string capture in captures)
            {
                using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(capture));
                while (reader.TryReadNext(out CaptureRecord record))
                {
                    PacketDecoder.Decode(record.Data, record.LinkType, record.OriginalLength, ref meta);
                    if (meta.Kind == PayloadKind.Wesp && meta.Anomaly == DecodeAnomaly.None && WespHeader.TryReadHeader(record.Data[meta.WespOffset..meta.NetworkEnd],
                        meta.IPVersion == 6, meta.Encapsulation == EspEncapsulation.WespUdp, out WespHeader header, out _))
                    {
                        if (header.Encrypted)
                        {
                            encrypted++;
                        }
                        else
                        {
                            clear++;
                        }
                    }
                }
            }
            return new Expected(esp, messages, events, rules, encrypted, clear);
        }

        private static void Add(SortedDictionary<string, double> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
    }

    /// <summary>Records and original bytes of a capture, read independently of the sensor's pipeline.</summary>
    private static (long Packets, long Bytes) CountRecords(string path)
    {
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(path));
        long packets = 0, bytes = 0;
        while (reader.TryReadNext(out CaptureRecord record))
        {
            packets++;
            bytes += record.OriginalLength;
        }
        return (packets, bytes);
    }
}
