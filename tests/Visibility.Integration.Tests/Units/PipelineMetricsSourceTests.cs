using System.Text.Json;
using Visibility.Cli.Metrics;
using Visibility.Engine.Ike;

namespace Visibility.Integration.Tests.Units;

/// <summary><see cref="PipelineMetricsSource"/>: the engine metrics, summed over several pipelines (workers), equal
/// what their EVE records and counters show.</summary>
public sealed class PipelineMetricsSourceTests
{
    [Fact]
    public void Collect_TwoPipelines_ReportsSumsOfBoth()
    {
        MetricsTestRun a = new MetricsTestRun(rules: true).Feed("synthetic/esp/wesp.pcap").Feed("synthetic/esp/mix-110.pcap");
        MetricsTestRun b = new MetricsTestRun(rules: true, keysFolder: Path.Combine(Infrastructure.RepositoryPaths.Root, "captures", "synthetic", "peer", "redirect-auth"))
            .Feed("synthetic/peer/redirect-auth/capture.pcap").Feed("synthetic/esp/mix-110.pcap");
        var source = new PipelineMetricsSource([a.Metrics, b.Metrics]);

        var open = new RecordingWriter();
        source.Collect(open);
        Assert.Equal(a.Esp.AliveNull + b.Esp.AliveNull, open.Gauges["esp_sas/null"]);
        Assert.True(open.Gauges["esp_sas/null"] > 0);
        long ikeAlive = 0;
        foreach (IkeSaState state in Enum.GetValues<IkeSaState>().Where(s => s != IkeSaState.None))
        {
            ikeAlive += a.Pipeline.Ike.Counters.SasInState(state) + b.Pipeline.Ike.Counters.SasInState(state);
        }
        Assert.True(ikeAlive > 0);
        Assert.Equal(ikeAlive, open.Gauges.Where(g => g.Key.StartsWith("ike_sas/", StringComparison.Ordinal)).Sum(g => g.Value));

        a.Pipeline.Finish();
        b.Pipeline.Finish();
        List<JsonElement> records = [.. a.TakeRecords(), .. b.TakeRecords()];
        var done = new RecordingWriter();
        source.Collect(done);

        Assert.Equal(a.Pipeline.Counters.WespEncrypted + b.Pipeline.Counters.WespEncrypted, done.Counters["wesp/true"]);
        Assert.Equal(a.Pipeline.Counters.WespNotEncrypted + b.Pipeline.Counters.WespNotEncrypted, done.Counters["wesp/false"]);
        Assert.True(done.Counters["wesp/true"] > 0 && done.Counters["wesp/false"] > 0);
        Assert.Equal(MetricsTestRun.Count(records, "esp"), done.Counters.Where(c => c.Key.StartsWith("esp_verdicts/", StringComparison.Ordinal)).Sum(c => c.Value));
        Assert.Equal(MetricsTestRun.Count(records, "alert"), done.Counters.Where(c => c.Key.StartsWith("rules/", StringComparison.Ordinal)).Sum(c => c.Value));
        foreach (string exchange in new[] { "IKE_SA_INIT", "IKE_AUTH", "INFORMATIONAL" })
        {
            Assert.Equal(MetricsTestRun.Count(records, "ike", r => r.GetProperty("ike").GetProperty("exchange").GetString() == exchange), done.Counters["ike_messages/" + exchange]);
        }
        Assert.Equal(MetricsTestRun.Count(records, "ike", r => r.GetProperty("ike").GetProperty("events").EnumerateArray().Any(e => e.GetString() == "redirect")),
            done.Counters["ike_events/redirect"]);
        Assert.Equal(1, done.Counters["ike_events/redirect"]);
        Assert.Equal(0, done.Counters["ike_events/auth_failed"]);
        // Everything ended: every gauge is back to zero.
        Assert.All(done.Gauges, g => Assert.Equal(0, g.Value));
    }

    private sealed class RecordingWriter : IMetricsWriter
    {
        public Dictionary<string, long> Counters { get; } = [];

        public Dictionary<string, long> Gauges { get; } = [];

        public void EspSecurityAssociations(string verdict, long count) => Gauges["esp_sas/" + verdict] = count;

        public void EspVerdicts(string verdict, string icvLength, long total) => Counters[$"esp_verdicts/{verdict}/{icvLength}"] = total;

        public void WespPackets(bool encrypted, long total) => Counters["wesp/" + (encrypted ? "true" : "false")] = total;

        public void IkeMessages(string exchange, long total) => Counters["ike_messages/" + exchange] = total;

        public void IkeEvents(string eventName, long total) => Counters["ike_events/" + eventName] = total;

        public void IkeSecurityAssociations(string state, long count) => Gauges["ike_sas/" + state] = count;

        public void RuleMatches(long signatureId, string action, long total) => Counters[$"rules/{signatureId}/{action}"] = total;

        public void CaptureDrops(string iface, long total, long ringOverflows) => Counters["drops/" + iface] = total;

        public void InlineFrames(string direction, string decision, long total) => Counters[$"inline_frames/{direction}/{decision}"] = total;

        public void InlineFailures(string reason, long total) => Counters["inline_failures/" + reason] = total;

        public void InlineSendErrors(string iface, long total) => Counters["inline_send_errors/" + iface] = total;
    }
}
