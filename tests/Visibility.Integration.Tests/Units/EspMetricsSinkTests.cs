using System.Text.Json;
using Visibility.Cli.Metrics;

namespace Visibility.Integration.Tests.Units;

/// <summary><see cref="EspMetricsSink"/>: verdicts as EVE <c>esp</c> records show them, and SAs alive per verdict.</summary>
public sealed class EspMetricsSinkTests
{
    [Theory]
    [InlineData("synthetic/esp/mix-110.pcap")]
    [InlineData("synthetic/esp/null-families.pcap")]
    [InlineData("synthetic/esp/wesp.pcap")]
    public void EspMetricsSink_Replay_VerdictsEqualEveEspRecords(string capture)
    {
        var run = new MetricsTestRun().Feed(capture);
        run.Pipeline.Finish();
        List<JsonElement> records = run.TakeRecords();
        int total = 0;
        for (int verdict = 0; verdict < 3; verdict++)
        {
            string name = EspMetricsSink.VerdictName(verdict);
            for (int icv = 0; icv <= EspMetricsSink.NoIcv; icv++)
            {
                int expected = MetricsTestRun.Count(records, "esp", r =>
                {
                    JsonElement esp = r.GetProperty("esp");
                    JsonElement length = esp.GetProperty("icv_len");
                    int recorded = length.ValueKind == JsonValueKind.Number ? length.GetInt32() : EspMetricsSink.NoIcv;
                    return esp.GetProperty("verdict").GetString() == name && recorded == icv;
                });
                Assert.Equal(expected, run.Esp.Verdicts(verdict, icv));
                total += expected;
            }
        }
        Assert.True(total > 0, "the capture must decide verdicts");
        Assert.Equal(MetricsTestRun.Count(records, "esp"), total);
    }

    [Theory]
    [InlineData("synthetic/esp/mix-110.pcap")]
    [InlineData("synthetic/esp/encrypted.pcap")]
    public void EspMetricsSink_BeforeFinish_AliveEqualsFlowRecordsWrittenAtFinish(string capture)
    {
        var run = new MetricsTestRun().Feed(capture);
        run.TakeRecords();
        long aliveNull = run.Esp.AliveNull;
        long aliveEncrypted = run.Esp.AliveEncrypted;
        long alive = run.Pipeline.Counters.EspFlowsCreated - run.Esp.Ended;

        run.Pipeline.Finish();
        List<JsonElement> finals = run.TakeRecords();
        bool IsEspFlow(JsonElement r, string verdict) => r.TryGetProperty("esp", out JsonElement esp) && esp.GetProperty("verdict").GetString() == verdict;
        Assert.Equal(MetricsTestRun.Count(finals, "flow", r => IsEspFlow(r, "null")), aliveNull);
        Assert.Equal(MetricsTestRun.Count(finals, "flow", r => IsEspFlow(r, "encrypted")), aliveEncrypted);
        Assert.Equal(MetricsTestRun.Count(finals, "flow", r => r.TryGetProperty("esp", out _)), alive);
        Assert.True(alive > 0);
        Assert.Equal(0, run.Esp.AliveNull);
        Assert.Equal(0, run.Esp.AliveEncrypted);
        Assert.Equal(run.Pipeline.Counters.EspFlowsCreated, run.Esp.Ended);
    }
}
