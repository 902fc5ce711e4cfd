using System.Globalization;
using Visibility.Integration.Tests.Infrastructure;
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
