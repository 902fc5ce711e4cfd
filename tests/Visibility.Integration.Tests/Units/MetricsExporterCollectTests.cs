using System.Text;
using Prometheus;
using Visibility.Cli.Metrics;
using Visibility.Engine.Events;
using Visibility.Engine.Pipeline;

namespace Visibility.Integration.Tests.Units;

/// <summary><see cref="MetricsExporter"/> without HTTP: what one collection exports.</summary>
public sealed class MetricsExporterCollectTests
{
    [Fact]
    public void MetricsExporter_Collect_ReadsCountersPerSourceAndExtraSources()
    {
        var pipeline = new PacketPipeline(new PipelineOptions(), NullEventSink.Instance);
        var totals = new PacketSourceTotals(pipeline.Counters);
        using var exporter = new MetricsExporter(ListenAddress.Default, pipeline, totals);
        var source = new FixedSource();
        exporter.AddSource(source);

        totals.BeginFile("a.pcap");
        Feed(pipeline, 3, 100);
        totals.EndFile();
        totals.BeginFile("b.pcap");
        Feed(pipeline, 2, 60);
        string text = Export(exporter);

        Assert.Contains("visibility_packets_total{source=\"a.pcap\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("visibility_packets_total{source=\"b.pcap\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("visibility_bytes_total{source=\"a.pcap\"} 300\n", text, StringComparison.Ordinal);
        Assert.Contains("visibility_bytes_total{source=\"b.pcap\"} 120\n", text, StringComparison.Ordinal);
        Assert.Contains("visibility_esp_sas{verdict=\"null\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("visibility_capture_drops_total{iface=\"eth9\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("visibility_rule_matches_total{sid=\"1000001\",action=\"alert\"} 2\n", text, StringComparison.Ordinal);

        // The open file keeps counting between scrapes; a gauge not reported again falls back to zero.
        Feed(pipeline, 1, 10);
        source.Report = false;
        text = Export(exporter);
        Assert.Contains("visibility_packets_total{source=\"b.pcap\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("visibility_esp_sas{verdict=\"null\"} 0\n", text, StringComparison.Ordinal);
    }

    private static void Feed(PacketPipeline pipeline, int packets, int length)
    {
        byte[] frame = new byte[length];
        for (int i = 0; i < packets; i++)
        {
            pipeline.Process(frame, length, 1_000_000_000L * (i + 1), Visibility.Wire.LinkType.Ethernet, i + 1);
        }
    }

    private static string Export(MetricsExporter exporter)
    {
        using var stream = new MemoryStream();
        exporter.Registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private sealed class FixedSource : IMetricsSource
    {
        public bool Report { get; set; } = true;

        public void Collect(IMetricsWriter metrics)
        {
            if (!Report)
            {
                return;
            }
            metrics.EspSecurityAssociations("null", 4);
            metrics.CaptureDrops("eth9", 7, 1);
            metrics.RuleMatches(1000001, "alert", 2);
        }
    }
}
